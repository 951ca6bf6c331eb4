package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/** A 100 MB KV value sent whole and in a range: many partial writes straight from the mapping. */
class HttpLargeBodyTest {
    @TempDir
    Path tmp;

    @Test
    void aHundredMegabyteValueIsSentWholeAndByRange() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("big"));
        long size = 100L * 1024 * 1024;
        try (var f = new RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
            f.setLength(size);
            f.seek(size - 3);
            f.write("end".getBytes(StandardCharsets.US_ASCII));
        }
        KvPackWriter.pack(dir, tmp.resolve("big.kv"));
        KvStore store = KvStore.open(tmp.resolve("big.kv"));
        try (var s = new TestServer(r -> Response.kv(store, r));
                var c = s.client()) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            var head = c.read("HEAD"); // the head only: the body is counted below, not buffered
            assertThat(head.header("Content-Length")).isEqualTo(Long.toString(size));
            var in = c.socket.getInputStream();
            byte[] buf = new byte[1 << 16];
            long got = 0;
            byte[] last = new byte[3];
            while (got < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - got));
                assertThat(n).isPositive();
                for (int i = 0; i < n; i++) { // keep the last three bytes seen
                    last[0] = last[1];
                    last[1] = last[2];
                    last[2] = buf[i];
                }
                got += n;
            }
            assertThat(new String(last, StandardCharsets.US_ASCII)).isEqualTo("end");
            var range = c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-3\r\n\r\n")
                    .read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.bodyText()).isEqualTo("end");
        }
    }
}
