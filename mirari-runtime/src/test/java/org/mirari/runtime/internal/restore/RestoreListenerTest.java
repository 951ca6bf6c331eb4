package org.mirari.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.Restore;
import org.mirari.runtime.console.RestoreMessage;

class RestoreListenerTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    final RestoreListener listener = new RestoreListener(
            Path.of("/nonexistent"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    static byte[] bytes(int b) {
        var a = new byte[32];
        java.util.Arrays.fill(a, (byte) b);
        return a;
    }

    @Test
    void aRestoreRunsTheHooksInOrderThenAcknowledges() {
        var seen = new ArrayList<String>();
        var restores = new ArrayList<Restore>();
        RestoreListener.register(r -> {
            seen.add("first");
            restores.add(r);
        });
        RestoreListener.register(r -> {
            throw new IllegalStateException("broken hook");
        });
        RestoreListener.register(r -> seen.add("third"));
        var line = new RestoreMessage(4, 1_000_123L, bytes(1), bytes(2), Map.of("log-level", "info")).line();
        listener.handle(line.substring(RestoreMessage.PREFIX.length()));

        assertThat(seen).containsExactly("first", "third");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("mirari-restored gen=4" + System.lineSeparator());
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("a restore hook failed: java.lang.IllegalStateException: broken hook");
        var r = restores.getFirst();
        assertThat(r.generation()).isEqualTo(4);
        assertThat(r.hostTime().toEpochMilli()).isEqualTo(1_000_123L);
        assertThat(r.parameters()).isEqualTo(Map.of("log-level", "info"));
        // The app's seed is the copy's own, not the bytes mixed into SecureRandom.
        assertThat(r.seed()).hasSize(32).isNotEqualTo(bytes(2));
    }

    @Test
    void aBadLineIsReportedAndNotAcknowledged() {
        listener.handle("gen=1 time=now");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("mirari-vm: restore: ignoring a bad restore line: time is not SECONDS.MMM"
                        + System.lineSeparator());
    }

    @Test
    void appSeedsDifferPerCopy() {
        assertThat(RestoreListener.appSeed(bytes(1))).isNotEqualTo(RestoreListener.appSeed(bytes(3)));
        assertThat(List.of(RestoreListener.appSeed(bytes(1)))).hasSize(1);
    }

    @Test
    void primingSendsOneMarkedRequestAndReadsTheAnswerToItsEnd() throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var head = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try (var c = server.accept()) {
                    var in = new java.io.BufferedReader(
                            new java.io.InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                    var b = new StringBuilder();
                    for (String l; (l = in.readLine()) != null && !l.isEmpty(); )
                        b.append(l).append('\n');
                    c.getOutputStream()
                            .write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    head.complete(b.toString());
                } catch (java.io.IOException e) {
                    head.completeExceptionally(e);
                }
            });
            // Bound to the wildcard address, the server is reached on loopback.
            RestoreListener.primeServer(new java.net.InetSocketAddress(server.getLocalPort()));
            assertThat(head.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .startsWith("GET / HTTP/1.1\n")
                    .contains("Mirari-Priming: snapshot\n", "Connection: close\n");
        }
        // Nothing listening: no exception, only no priming.
        try (var closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            RestoreListener.primeServer(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        }
    }
}
