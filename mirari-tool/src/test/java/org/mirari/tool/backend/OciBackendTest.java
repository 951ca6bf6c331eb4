package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirari.tool.targets.Target;

/**
 * The {@code --oci} run as a value: the namespace and veth commands, the unpack, runc's config and
 * command, against a golden file ({@code oci-run.expected}); the image's entrypoint and the
 * clean-up commands.
 */
class OciBackendTest {
    private static final Path CONF = Path.of("/apps/hello/hello.conf");
    private static final String TEXT = "main-http: Hello.main\nhttp-port: 8080\n";

    private static AppBuild app() {
        var bare = TestApps.bare(CONF, TEXT, List.of("-Xmx64m"));
        return new AppBuild(
                bare.name(),
                bare.conf(),
                bare.sources(),
                List.of(Path.of("/mirari/mirari-runtime-test.jar")),
                List.of(Path.of("/m2/commons-text-1.12.0.jar")),
                bare.release(),
                bare.javaHome(),
                bare.jvmOptions(),
                bare.toolVersion(),
                bare.config());
    }

    @Test
    void theRunIsTheGoldenTrace() throws IOException {
        var boot = TestApps.boot(CONF, TEXT, Map.of("http-port", "9090"));
        var spec = OciBackend.spec(
                "/usr/sbin/runc", app(), boot, List.of(new ContainerPlan.Forward("127.0.0.1", 18080, 9090)));
        var trace = new StringBuilder();
        spec.commands().forEach(c -> trace.append(c).append('\n'));
        trace.append("--- config.json\n").append(spec.container().configJson());
        String golden;
        try (var in = getClass().getResourceAsStream("oci-run.expected")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(trace.toString()).isEqualTo(golden);
        assertThat(spec.listen()).contains(new RunSpec.Listen("*", 9090));
        assertThat(spec.container().forwards().getFirst().url()).isEqualTo("http://127.0.0.1:18080/");
    }

    @Test
    void theEntrypointRunsTheLinkedRuntimeWithTheJarsInTheImage() {
        // Before a build: an HTTP app's image will have its AOT cache; the paths are relative to the image's /.
        assertThat(OciBackend.entrypoint(app()))
                .containsExactly(
                        "/jre/bin/java",
                        "-XX:AOTCache=/app/app.aot",
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:-AOTAdapterCaching",
                        "-XX:+UseSerialGC",
                        "-XX:-UsePerfData",
                        "-Djava.io.tmpdir=/tmp",
                        "-Dmirari.kv.dir=app/kv",
                        "-Dmirari.boot.env=true",
                        "-Xmx64m",
                        "-cp",
                        "app/lib/hello.jar:app/lib/mirari-runtime-test.jar:app/lib/commons-text-1.12.0.jar",
                        "Main");
        assertThat(OciBackend.entrypoint(app(), false)).doesNotContain("-XX:AOTCache=/app/app.aot");
    }

    @Test
    void cleanUpRemovesTheContainerTheNamespaceAndTheVeth() {
        var boot = TestApps.boot(CONF, TEXT, Map.of());
        var plan = OciBackend.spec("runc", app(), boot, List.of()).container();
        assertThat(plan.id()).isEqualTo("mirari-hello-0");
        assertThat(plan.removeCommands("runc"))
                .containsExactly(
                        List.of("runc", "delete", "--force", "mirari-hello-0"),
                        List.of("ip", "netns", "delete", "mirari-hello-0"),
                        List.of("ip", "link", "delete", plan.hostVeth()));
        assertThat(plan.hostVeth()).hasSizeLessThanOrEqualTo(15).startsWith("mv");
        assertThat(OciBackend.ociLayout(app())).isEqualTo(Path.of("/apps/hello/.mirari/oci/layout"));
        assertThat(new OciBackend().target()).isEqualTo(Target.OCI);
    }
}
