package org.mirari.tool.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.targets.Target;

class PlanTest {
    /** The tool's own JDK, as the context hands it to the plan. */
    static final Map<String, String> PROPS = Map.of("java.home", System.getProperty("java.home"));

    @TempDir
    Path tmp;

    Config config(String text) {
        return new ConfigParser(tmp.resolve("shop.conf"), "shop.conf")
                .parse(text.getBytes(StandardCharsets.UTF_8), List.of());
    }

    Path fakeJdk(String dir, int feature) throws IOException {
        var home = Files.createDirectories(tmp.resolve(dir));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/javac"), "");
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + feature + ".0.1\"\n");
        return home;
    }

    @Test
    void targetFromTheSwitchOrTheDefault() {
        assertThat(Plan.of(config("main-http: A.b\n"), Optional.empty(), Map.of(), PROPS)
                        .target())
                .isEqualTo(Target.SOCKET);
        assertThat(Plan.of(config("main-http: A.b\n"), Optional.of(Target.QEMU), Map.of(), PROPS)
                        .target())
                .isEqualTo(Target.QEMU);
    }

    @Test
    void mainIpIsRefusedOnJsWithTheReason() {
        for (var conf : List.of("main-ip: net.Ping.main\n", "main-ip: net.Ping.main\ncompiler: 25+js\n")) {
            var requested = conf.contains("+js") ? Optional.<Target>empty() : Optional.of(Target.JS);
            assertThatThrownBy(() -> Plan.of(config(conf), requested, Map.of(), PROPS))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("shop.conf:1:10: main-ip cannot run on --js: JavaScript has no raw network (a browser"
                            + " lets a page speak HTTP through fetch only); use main-http (served by a Service Worker)"
                            + " or main-noip (run by Node), or another target such as --socket");
        }
        assertThat(Plan.of(config("main-noip: A.b\n"), Optional.of(Target.JS), Map.of(), PROPS)
                        .target())
                .isEqualTo(Target.JS);
    }

    @Test
    void theConfsTargetWinsOverTheSwitchWithANote() {
        var plan = Plan.of(config("main-http: A.b\ncompiler: +xen\n"), Optional.of(Target.QEMU), Map.of(), PROPS);
        assertThat(plan.target()).isEqualTo(Target.XEN);
        assertThat(plan.targetNote())
                .contains("shop.conf:2:11: compiler names target xen, which takes precedence over --qemu");
        assertThat(Plan.of(config("main-http: A.b\ncompiler: +xen\n"), Optional.of(Target.XEN), Map.of(), PROPS)
                        .targetNote())
                .isEmpty();
    }

    @Test
    void aFeatureVersionIsLookedUpAmongTheJdks() throws IOException {
        var search = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdk("jvm/jdk-27", 27);
        fakeJdk("jvm/jdk-17", 17);
        var env = Map.of("MIRARI_JDK_SEARCH_PATH", search.toString());
        var plan = Plan.of(config("main-http: A.b\ncompiler: 27+unix\n"), Optional.empty(), env, PROPS);
        assertThat(plan.jdk()).isEqualTo(new Jdk(search.resolve("jdk-27"), 27));
        assertThat(plan.target()).isEqualTo(Target.UNIX);
        assertThatThrownBy(() -> Plan.of(config("main-http: A.b\ncompiler: 99\n"), Optional.empty(), env, PROPS))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("shop.conf:2:11: compiler 99: no JDK 99 found (seen: ")
                .hasMessageContaining(search.resolve("jdk-27") + " (27)")
                .hasMessageEndingWith("); install it under /usr/lib/jvm or give its home, e.g. compiler: /path/to/jdk");
    }

    @Test
    void aJdkHomeIsUsedAsIs() throws IOException {
        fakeJdk("myjdk", 26);
        var plan = Plan.of(
                config("main-http: A.b\ncompiler: myjdk\n".replace("myjdk", "./myjdk")),
                Optional.empty(),
                Map.of(),
                PROPS);
        assertThat(plan.jdk()).isEqualTo(new Jdk(tmp.resolve("myjdk"), 26));
    }

    @Test
    void withoutCompilerTheRunningJdk() {
        var plan = Plan.of(config("main-http: A.b\n"), Optional.empty(), Map.of(), PROPS);
        assertThat(plan.jdk().feature()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void generatedFileNamesFollowTheAppsName() {
        var plan = Plan.of(config("main-http: A.b\nname: store\n"), Optional.of(Target.UNIX), Map.of(), PROPS);
        assertThat(plan.outputs().besideConf())
                .containsExactly(
                        tmp.resolve("Main.java"),
                        tmp.resolve("pom.xml"),
                        tmp.resolve("store.lock"),
                        tmp.resolve("mir-store"),
                        tmp.resolve("mir-store.vmlinuz"),
                        tmp.resolve("mir-store.initrd"),
                        tmp.resolve("mir-store.jre.sqfs"),
                        tmp.resolve("mir-store.app.sqfs"),
                        tmp.resolve("mir-store.disk.raw"),
                        tmp.resolve("store.xl"),
                        tmp.resolve("mir-store.oci.tar"));
        assertThat(plan.buildDir()).isEqualTo(tmp.resolve(".mirari/unix"));
        assertThat(plan.outputs().kvDir()).isEqualTo(tmp.resolve(".mirari/kv"));
    }
}
