package org.mirari.js.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --js} target end to end. Every example is compiled to JavaScript once, in this JVM
 * (TeaVM warms up once for all of them: the CI budget), by the CLI's own {@code build --js}; the
 * tests then run the outputs with the real {@code bin/mirari}, which finds them up to date.
 */
class JsTargetIT {
    static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    /** App directory by name: the examples hello, noip and seed, and the test app kvdump. */
    static final Map<String, Path> apps = new LinkedHashMap<>();

    static final Map<String, Long> seconds = new LinkedHashMap<>();

    @BeforeAll
    static void buildEveryExample() throws Exception {
        apps.put("hello", Apps.copy(Apps.HOME.resolve("examples/hello"), dir.resolve("hello")));
        apps.put("noip", Apps.copy(Apps.HOME.resolve("examples/noip"), dir.resolve("noip")));
        var seed = Apps.copy(Apps.HOME.resolve("examples/seed"), dir.resolve("seed"));
        apps.put("seed", seed.resolve("app"));
        apps.put(
                "kvdump",
                Apps.copy(Apps.HOME.resolve("mirari-js/src/test/resources/apps/kvdump"), dir.resolve("kvdump")));
        for (var app : apps.entrySet()) {
            long t0 = System.nanoTime();
            Apps.buildJs(app.getValue());
            seconds.put(app.getKey(), (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("JsTargetIT: build --js in ms " + seconds);
    }

    static Path module(String app) {
        var base = apps.get(app).resolve(".mirari/js");
        var name = app.equals("seed") ? "app" : app;
        var inSite = base.resolve("site/_mirari/" + name + ".mjs");
        return Files.isRegularFile(inSite) ? inSite : base.resolve(name + ".mjs");
    }

    @Test
    void everyExampleCompilesToJavaScriptAndMainIpIsRefused() throws Exception {
        for (var app : apps.keySet()) {
            var module = module(app);
            assertThat(module).isRegularFile();
            assertThat(Files.readString(module)).contains("export{");
            System.out.println("JsTargetIT: " + app + " " + Files.size(module) + " bytes");
        }
        assertThat(apps.get("hello").resolve(".mirari/js/site")).isDirectoryContaining("glob:**/mirari-sw.js");
        assertThat(apps.get("seed").resolve(".mirari/js/site/_mirari/kv/static.kv"))
                .hasSameBinaryContentAs(apps.get("seed").resolve(".mirari/kv/static.kv"));

        var ping = Apps.copy(Apps.HOME.resolve("examples/ping"), dir.resolve("ping"));
        var refused = Apps.launcher(ping, LIMIT, "configure", "--js", ping.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err())
                .contains("ping.conf:")
                .contains(": main-ip cannot run on --js: JavaScript has no raw network")
                .contains("use main-http (served by a Service Worker) or main-noip (run by Node)");
        assertThat(ping.resolve("Main.java")).doesNotExist();
    }

    @Test
    void theOutputIsReproducible() throws Exception {
        var again = Apps.copy(Apps.HOME.resolve("examples/noip"), dir.resolve("noip-again"));
        Apps.buildJs(again);
        assertThat(again.resolve(".mirari/js/noip.mjs")).hasSameBinaryContentAs(module("noip"));
        assertThat(again.resolve(".mirari/js/node.mjs"))
                .hasSameBinaryContentAs(apps.get("noip").resolve(".mirari/js/node.mjs"));
    }

    /** The app's console and exit code on --js and on --socket, with the tool's own lines left out. */
    static Apps.Result run(String app, String target) throws Exception {
        var r = Apps.launcher(
                apps.get(app),
                LIMIT,
                "run",
                "--" + target,
                "--no-aot-cache",
                apps.get(app).toString());
        var appErr = r.err().lines().filter(l -> !l.startsWith("mirari: ")).toList();
        return new Apps.Result(r.code(), r.out(), String.join("\n", appErr));
    }

    @Test
    void noipPrintsTheSameOnNodeAsOnTheJvm() throws Exception {
        var js = Apps.launcher(
                apps.get("noip"), LIMIT, "run", "--js", apps.get("noip").toString());
        assertThat(js.err()).contains("mirari: build: up to date", "mirari: run: noip (--js)");
        var socket = run("noip", "socket");
        assertThat(socket.out()).isEqualTo("Mirari says hello from a KV store.\n");
        assertThat(js.out()).isEqualTo(socket.out());
        assertThat(js.code()).isEqualTo(socket.code()).isZero();
    }

    @Test
    void everyKvValueIsTheSameOnNodeAsOnTheJvm() throws Exception {
        var js = run("kvdump", "js");
        var socket = run("kvdump", "socket");
        assertThat(socket.out()).contains("all-bytes.bin size=768", "café.txt", "no key missing.txt in KV store files");
        assertThat(js.out()).isEqualTo(socket.out());
        assertThat(js.err()).isEqualTo(socket.err()).contains("kvdump: done, exit 3");
        assertThat(js.code()).isEqualTo(socket.code()).isEqualTo(3);
    }
}
