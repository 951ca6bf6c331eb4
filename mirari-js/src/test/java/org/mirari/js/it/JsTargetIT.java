package org.mirari.js.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.testkit.Examples;

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
        apps.put("hello", Examples.copy(Apps.HOME.resolve("examples/hello"), dir.resolve("hello")));
        apps.put("noip", Examples.copy(Apps.HOME.resolve("examples/noip"), dir.resolve("noip")));
        var seed = Examples.copy(Apps.HOME.resolve("examples/seed"), dir.resolve("seed"));
        apps.put("seed", seed.resolve("app"));
        apps.put(
                "kvdump",
                Examples.copy(Apps.HOME.resolve("mirari-js/src/test/resources/apps/kvdump"), dir.resolve("kvdump")));
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

        var ping = Examples.copy(Apps.HOME.resolve("examples/ping"), dir.resolve("ping"));
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
        var again = Examples.copy(Apps.HOME.resolve("examples/noip"), dir.resolve("noip-again"));
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

    /** A page's fetch of {@code path} (with request headers), as JSON: status, headers, body in Base64. */
    static Map<String, Object> fetch(DevTools cdp, String page, String path, String headers) throws Exception {
        var js = "(async () => { const r = await fetch(" + Json.write(path) + ", {headers: " + headers + "});"
                + " const b = new Uint8Array(await r.arrayBuffer()); let s = '';"
                + " for (const x of b) s += String.fromCharCode(x);"
                + " return JSON.stringify({status: r.status, headers: Object.fromEntries(r.headers), body: btoa(s)}); })()";
        return Json.object(Json.parse((String) cdp.eval(page, js)));
    }

    /** Every file of the seed's two stores, by its key (its path below the store's directory). */
    static Map<String, byte[]> storeFiles(Path dir) throws Exception {
        var files = new LinkedHashMap<String, byte[]>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (var f : all.filter(Files::isRegularFile).sorted().toList())
                files.put(dir.relativize(f).toString(), Files.readAllBytes(f));
        }
        return files;
    }

    /**
     * The seed in headless Chromium: the boot page registers the worker, which takes control; then
     * every file of the "static" store comes back byte for byte from the worker (the response's
     * source is the Service Worker, which DevTools reports), the "template" store's page renders,
     * a missing key is a 404, ETags and ranges answer as on --socket. Then the worker is stopped
     * and the static server too: a reload still works, from the worker and its Cache Storage.
     */
    @Test
    void theSeedIsServedByItsServiceWorkerInChromium() throws Exception {
        assumeTrue(
                Files.isExecutable(DevTools.CHROMIUM),
                "skipped: no " + DevTools.CHROMIUM + " (apt-get install chromium)");
        var app = apps.get("seed");
        int port = Apps.freePort();
        var run = Apps.start(app, "run", "--js", "--set", "http-port=" + port, app.toString());
        try (var cdp = DevTools.start(LIMIT)) {
            var ready = run.await(l -> l.contains("ready: listening"), LIMIT);
            var url = "http://127.0.0.1:" + port + "/";
            assertThat(ready).contains(url);
            var page = cdp.newPage();
            for (var domain : List.of("Network", "Page", "ServiceWorker")) cdp.send(page, domain + ".enable", Map.of());
            cdp.send(page, "Page.navigate", Map.of("url", url));
            var rendered = "navigator.serviceWorker.controller !== null && document.readyState === 'complete'"
                    + " && document.body.innerHTML.includes('a page rendered from the template store')";
            cdp.await(page, rendered, LIMIT);

            var template = Files.readString(app.resolve("../tmpl/page.html"));
            var html = (String) cdp.eval(page, "document.documentElement.outerHTML");
            for (var line : template.lines()
                    .filter(l -> !l.contains("${") && !l.isBlank() && !l.startsWith("<!")) // no doctype in outerHTML
                    .toList()) assertThat(html).contains(line.strip());
            var files = storeFiles(app.resolve("../files"));
            assertThat(files).containsKeys("about.txt", "css/site.css");
            for (int round = 0; round < 2; round++) {
                for (var file : files.entrySet()) {
                    var r = fetch(cdp, page, "/" + file.getKey(), "{}");
                    assertThat(r.get("status")).isEqualTo(200.0);
                    assertThat(Base64.getDecoder().decode((String) r.get("body")))
                            .as(file.getKey())
                            .isEqualTo(file.getValue());
                    var fromWorker = cdp.events(e -> "Network.responseReceived".equals(e.get("method"))
                            && e.toString().contains("url=" + url + file.getKey() + ",")
                            && e.toString().contains("fromServiceWorker=true"));
                    assertThat(fromWorker)
                            .as(file.getKey() + " from the Service Worker")
                            .isNotEmpty();
                }
                var missing = fetch(cdp, page, "/missing.txt", "{}");
                assertThat(missing.get("status")).isEqualTo(404.0);
                var css = fetch(cdp, page, "/css/site.css", "{}");
                var headers = Json.object(css.get("headers"));
                assertThat(headers.get("content-type")).isEqualTo("text/css; charset=utf-8");
                var etag = (String) headers.get("etag");
                assertThat(fetch(cdp, page, "/css/site.css", "{'If-None-Match': " + Json.write(etag) + "}")
                                .get("status"))
                        .isEqualTo(304.0);
                var range = fetch(cdp, page, "/about.txt", "{Range: 'bytes=0-3'}");
                assertThat(range.get("status")).isEqualTo(206.0);
                assertThat(Base64.getDecoder().decode((String) range.get("body")))
                        .isEqualTo(java.util.Arrays.copyOf(files.get("about.txt"), 4));
                assertThat(Json.object(range.get("headers")).get("content-range"))
                        .isEqualTo("bytes 0-3/" + files.get("about.txt").length);
                if (round == 0) {
                    // The browser stops an idle worker; here it is stopped at once, and the server with it.
                    run.close();
                    cdp.send(page, "ServiceWorker.stopAllWorkers", Map.of());
                    cdp.awaitEvent(
                            e -> "ServiceWorker.workerVersionUpdated".equals(e.get("method"))
                                    && e.toString().contains("runningStatus=stopped"),
                            LIMIT);
                    cdp.send(page, "Page.reload", Map.of());
                    cdp.await(page, rendered, LIMIT);
                }
            }
        } finally {
            run.close();
        }
    }
}
