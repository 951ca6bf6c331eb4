package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.targets.Target;

class SocketBackendTest {
    @TempDir
    Path dir;

    private final SocketBackend backend = new SocketBackend();

    @Test
    void launchIsTheLaunchersCommandWithBootParameters() throws Exception {
        var app = TestApps.app(dir, TestApps.libraryJar(dir, "x"), "");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var d = dir.resolve("app").toString();
        var plain = backend.launch(app, boot(app, Map.of("http-port", "9090")), new RunOptions(false))
                .launch();
        assertThat(plain.command())
                .containsExactly(
                        java,
                        "-Xshare:auto",
                        "-Dmirari.kv.dir=" + d + "/.mirari/kv",
                        "-jar",
                        d + "/.mirari/socket/app.jar",
                        "http-port=9090");
        assertThat(plain.directory()).isEqualTo(dir.resolve("app"));
        assertThat(plain.aotTraining()).isEmpty();

        var training =
                backend.launch(app, boot(app, Map.of()), RunOptions.defaults()).launch();
        assertThat(training.command())
                .containsSubsequence("-XX:AOTCacheOutput=" + d + "/.mirari/socket/app.aot", "-jar");
        assertThat(training.aotTraining()).contains(Path.of(d, ".mirari/socket/app.aot"));

        Files.createDirectories(dir.resolve("app/.mirari/socket"));
        Files.writeString(dir.resolve("app/.mirari/socket/app.aot"), "cache");
        var cached =
                backend.launch(app, boot(app, Map.of()), RunOptions.defaults()).launch();
        assertThat(cached.command()).contains("-XX:AOTCache=" + d + "/.mirari/socket/app.aot");
        assertThat(cached.aotTraining()).isEqualTo(Optional.empty());
    }

    static org.mirari.tool.plan.Boot boot(AppBuild app, Map<String, String> overrides) {
        return TestApps.boot(app.conf(), "main-noip: Noip.main\n", overrides);
    }

    @Test
    void everyTargetHasItsBackend() {
        for (var t : Target.values()) assertThat(Backend.of(t).target()).isEqualTo(t);
    }
}
