package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/**
 * Large KV values sent by the kernel from the pack file ({@code sendfile}) over a real socket: a
 * reader too slow to keep up, whose transfer stops and resumes many times while the same loop
 * serves others, pipelined large and small responses, HEAD and ranges on the large value.
 */
class HttpSendfileTest {
    /** Larger than loopback's socket buffers together, so the transfer must stop and resume. */
    private static final int SIZE = 12 << 20;

    @TempDir
    static Path tmp;

    static KvStore store;

    /** Byte {@code i} of the large value. */
    private static byte at(long i) {
        return (byte) (i * 131 + (i >>> 13));
    }

    @BeforeAll
    static void pack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("files"));
        byte[] big = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            big[i] = at(i);
        }
        Files.write(dir.resolve("big.bin"), big);
        Files.writeString(dir.resolve("small.txt"), "small\n");
        KvPackWriter.pack(dir, tmp.resolve("s.kv"));
        store = KvStore.open(tmp.resolve("s.kv"));
    }

    private static TestServer server() throws Exception {
        // one loop: the slow reader and the others share it
        return new TestServer(r -> Response.kv(store, r), TestServer.config().withLoops(1));
    }

    /** Reads {@code n} body bytes and checks each against the value from {@code first}. */
    private static void readValue(InputStream in, long first, long n, int chunk) throws Exception {
        byte[] buf = new byte[chunk];
        long got = 0;
        while (got < n) {
            int k = in.read(buf, 0, (int) Math.min(chunk, n - got));
            assertThat(k).as("bytes after %d of %d", got, n).isPositive();
            for (int i = 0; i < k; i++) {
                if (buf[i] != at(first + got + i)) {
                    throw new AssertionError("byte " + (first + got + i) + " differs");
                }
            }
            got += k;
        }
    }

    @Test
    void aSlowReaderGetsEveryByteWhileTheLoopServesOthers() throws Exception {
        try (var s = server();
                var slow = new Socket()) {
            slow.setReceiveBufferSize(4096); // before connecting: a small window
            slow.connect(s.address(), 5000);
            slow.setSoTimeout(10_000);
            slow.getOutputStream()
                    .write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.await(TestServer.any(Phase.WRITING)); // the server found the socket full
            for (int i = 0; i < 5; i++) {
                try (var other = s.client()) {
                    assertThat(other.send("GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .read()
                                    .bodyText())
                            .isEqualTo("small\n");
                }
            }
            var in = slow.getInputStream();
            var client = new RawHttp.Reply(readHead(in), new byte[0]);
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
            readValue(in, 0, SIZE, 1000);
        }
    }

    @Test
    void largeAndSmallResponsesPipelinedArriveInOrderThenHeadAndRanges() throws Exception {
        try (var s = server();
                var c = s.client()) {
            String get = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";
            c.send(get + "GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n" + get
                    + "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=1000-\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=5000000-5000009\r\n\r\n");
            var in = c.socket.getInputStream();
            assertThat(readHead(in)).contains("Content-Length: " + SIZE);
            readValue(in, 0, SIZE, 1 << 16);
            assertThat(c.read().bodyText()).isEqualTo("small\n");
            assertThat(readHead(in)).contains("Content-Length: " + SIZE);
            readValue(in, 0, SIZE, 1 << 16);
            var head = c.read("HEAD");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
            String range = readHead(in);
            assertThat(range)
                    .startsWith("HTTP/1.1 206 ")
                    .contains("Content-Range: bytes 1000-" + (SIZE - 1) + "/" + SIZE);
            readValue(in, 1000, SIZE - 1000, 1 << 16);
            var ten = c.read();
            assertThat(ten.status()).isEqualTo(206);
            byte[] want = new byte[10];
            for (int i = 0; i < 10; i++) {
                want[i] = at(5_000_000 + i);
            }
            assertThat(Arrays.equals(ten.body(), want)).isTrue();
            // and the connection is still good for the next request
            assertThat(c.send("GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .bodyText())
                    .isEqualTo("small\n");
        }
    }

    @Test
    void withSendfileOffTheSameBytesComeFromTheMapping() throws Exception {
        var config = TestServer.config().withLoops(1).withSendfileMinBytes(Long.MAX_VALUE);
        try (var s = new TestServer(r -> Response.kv(store, r), config);
                var c = s.client()) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=3-\r\n\r\n");
            var in = c.socket.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 206 ");
            readValue(in, 3, SIZE - 3, 1 << 16);
        }
    }

    @Test
    void theJdksAcceptedSocketIsOneTheKernelSendsFilesTo() throws Exception {
        try (var listener = java.nio.channels.ServerSocketChannel.open()
                        .bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                var client = java.nio.channels.SocketChannel.open(listener.getLocalAddress());
                var accepted = listener.accept()) {
            // the name the check relies on; should a JDK rename its socket, this fails first
            assertThat(Connection.kernelSocket(accepted)).isTrue();
            assertThat(Connection.kernelSocket(client)).isTrue();
        }
    }

    @Test
    void theThresholdPropertyTakesBytesOrOff() {
        assertThat(ServerConfig.sendfileMinBytes(null, 7)).isEqualTo(7);
        assertThat(ServerConfig.sendfileMinBytes(" 4096 ", 7)).isEqualTo(4096);
        assertThat(ServerConfig.sendfileMinBytes("OFF", 7)).isEqualTo(Long.MAX_VALUE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.sendfileMinBytes("-1", 7))
                .hasMessage(
                        "mirari.http.sendfile-min-bytes \"-1\" is neither a byte count nor off; use e.g. 65536 or off");
        assertThat(ServerConfig.defaults(new InetSocketAddress(0)).sendfileMinBytes())
                .isEqualTo(64 * 1024);
    }

    /** The response head, up to and including its empty line, as text. */
    private static String readHead(InputStream in) throws Exception {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int ch = in.read();
            assertThat(ch).as("head so far: %s", head).isNotNegative();
            head.append((char) ch);
        }
        return head.toString();
    }
}
