package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/** The server as curl sees it: a widely used client must agree with what we send. */
class HttpCurlIT {
    @TempDir
    static Path tmp;

    static TestServer server;
    static String base;
    static String bigSha256;
    static String bigTailSha256;

    static String sha256(byte[] b, int off, int len) throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(b, off, len);
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed (apt-get install curl)");
        Path files = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(files.resolve("index.html"), "<p>curl</p>\n");
        Files.write(files.resolve("data.bin"), new byte[100_000]);
        byte[] big = new byte[3 << 20]; // sent by the kernel from the pack (sendfile)
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7 + (i >>> 11));
        }
        Files.write(files.resolve("big.bin"), big);
        bigSha256 = sha256(big, 0, big.length);
        bigTailSha256 = sha256(big, 1000, big.length - 1000);
        KvPackWriter.pack(files, tmp.resolve("s.kv"));
        KvStore store = KvStore.open(tmp.resolve("s.kv"));
        server = new TestServer(r -> r.path().equals("/echo") ? Response.ok(r.bodyText()) : Response.kv(store, r));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    static String curl(String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void getHeadRangeAndConditional() throws Exception {
        assertThat(curl(base + "/")).isEqualTo("<p>curl</p>\n");
        String head = curl("-I", base + "/data.bin");
        assertThat(head)
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Length: 100000\r\n", "Accept-Ranges: bytes\r\n");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-r", "10-19", base + "/data.bin"))
                .isEqualTo("206 10");
        String etag = curl("-o", "/dev/null", "-w", "%header{etag}", base + "/data.bin");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag, base + "/data.bin"))
                .isEqualTo("304");
    }

    @Test
    void aLargeValueWholeByRangeAndHeadAsCurlSeesIt() throws Exception {
        Path got = tmp.resolve("got.bin");
        assertThat(curl("-o", got.toString(), "-w", "%{http_code} %{size_download}", base + "/big.bin"))
                .isEqualTo("200 " + (3 << 20));
        assertThat(sha256(Files.readAllBytes(got), 0, 3 << 20)).isEqualTo(bigSha256);
        // a slow reader: curl limits its rate, so the server's writes stop and resume
        assertThat(curl(
                        "--limit-rate",
                        "4M",
                        "-o",
                        got.toString(),
                        "-w",
                        "%{http_code}",
                        "-r",
                        "1000-",
                        base + "/big.bin"))
                .isEqualTo("206");
        byte[] tail = Files.readAllBytes(got);
        assertThat(sha256(tail, 0, tail.length)).isEqualTo(bigTailSha256);
        assertThat(curl("-I", base + "/big.bin")).contains("Content-Length: " + (3 << 20) + "\r\n");
    }

    @Test
    void uploadsAndKeepAlive() throws Exception {
        assertThat(curl("--data-binary", "posted", base + "/echo")).isEqualTo("posted");
        assertThat(curl("-H", "Transfer-Encoding: chunked", "--data-binary", "chunky", base + "/echo"))
                .isEqualTo("chunky");
        // several URLs on one command line reuse one connection
        String verbose = curl("-v", "-o", "/dev/null", "-o", "/dev/null", base + "/", base + "/data.bin");
        assertThat(verbose).contains("Re-using existing connection");
    }
}
