package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output queue over a socket that takes only a few bytes per write, as a full one does. */
class OutputQueueTest {
    /** Takes at most {@code quota} bytes per call, recording them in order. */
    private static final class Trickle implements GatheringByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int quota;
        int calls;

        Trickle(int quota) {
            this.quota = quota;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            int left = quota;
            for (int i = offset; i < offset + length && left > 0; i++) {
                while (srcs[i].hasRemaining() && left > 0) {
                    taken.write(srcs[i].get());
                    left--;
                }
            }
            return quota - left;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void stagedBytesAndBuffersGoOutInOrderAcrossPartialWrites() throws Exception {
        var q = new OutputQueue();
        q.staging.ascii("head1|");
        q.add(ascii("body1|"));
        q.staging.ascii("head2|");
        q.add(ascii("body2|"));
        for (int i = 0; i < 20; i++) {
            q.add(ascii("b" + i + "|")); // more buffers than the queue's first array holds
        }
        q.staging.ascii("tail");
        var ch = new Trickle(5);
        int writes = 0;
        while (!q.writeTo(ch)) {
            writes++;
            assertThat(q.isEmpty()).isFalse();
        }
        assertThat(writes).isGreaterThan(5);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.remaining()).isZero();
        var expected = new StringBuilder("head1|body1|head2|body2|");
        for (int i = 0; i < 20; i++) {
            expected.append('b').append(i).append('|');
        }
        assertThat(ch.taken.toString(StandardCharsets.US_ASCII)).isEqualTo(expected + "tail");
    }

    @Test
    void aWriteThatTakesNothingLeavesEverythingQueued() throws Exception {
        var q = new OutputQueue();
        q.staging.ascii("abc");
        assertThat(q.writeTo(new Trickle(0))).isFalse();
        assertThat(q.remaining()).isEqualTo(3);
        var ch = new Trickle(100);
        assertThat(q.writeTo(ch)).isTrue();
        assertThat(ch.taken.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        q.staging.ascii("next"); // the staging array is reused once everything went out
        assertThat(q.writeTo(ch)).isTrue();
        assertThat(ch.taken.toString(StandardCharsets.US_ASCII)).isEqualTo("abcnext");
    }

    /** Sends file spans into {@code into}, at most {@code quota} bytes per call, as a full socket does. */
    private static OutputQueue.FileSink trickleFile(Trickle into, int[] quota, int[] calls) {
        return (file, position, count) -> {
            calls[0]++;
            var b = ByteBuffer.allocate((int) Math.min(count, quota[0]));
            while (b.hasRemaining()) {
                int n = file.read(b, position + b.position());
                if (n < 0) {
                    break;
                }
            }
            b.flip();
            into.taken.write(b.array(), 0, b.limit());
            return b.limit();
        };
    }

    private static FileChannel file(Path dir, String text) throws Exception {
        Path f = dir.resolve("pack");
        Files.writeString(f, text, StandardCharsets.US_ASCII);
        return FileChannel.open(f, StandardOpenOption.READ);
    }

    @Test
    void fileSpansGoOutInOrderWithTheBuffersAcrossPartialWrites(@TempDir Path tmp) throws Exception {
        try (FileChannel f = file(tmp, "0123456789abcdefghij")) {
            var ch = new Trickle(3);
            int[] quota = {4};
            int[] calls = {0};
            var q = new OutputQueue(trickleFile(ch, quota, calls), 5);
            assertThat(q.takesFile(4)).isFalse();
            assertThat(q.takesFile(5)).isTrue();
            q.staging.ascii("head1|");
            q.addFile(f, 2, 11); // 23456789abc
            q.staging.ascii("|head2|");
            q.add(ascii("body2|"));
            q.addFile(f, 15, 5); // fghij
            q.addFile(f, 0, 0); // nothing to send: not queued
            q.staging.ascii("|tail");
            assertThat(q.remaining()).isEqualTo(6 + 11 + 7 + 6 + 5 + 5);
            int rounds = 0;
            while (!q.writeTo(ch)) {
                rounds++;
            }
            assertThat(rounds).isGreaterThan(5);
            assertThat(calls[0])
                    .as("one transfer per round while a span is unfinished")
                    .isEqualTo(3 + 2);
            assertThat(q.isEmpty()).isTrue();
            assertThat(ch.taken.toString(StandardCharsets.US_ASCII))
                    .isEqualTo("head1|23456789abc|head2|body2|fghij|tail");
        }
    }

    @Test
    void aFullSocketLeavesTheSpanWhereItWasAndTheDrainReadsIt(@TempDir Path tmp) throws Exception {
        try (FileChannel f = file(tmp, "0123456789")) {
            var ch = new Trickle(100);
            int[] quota = {0};
            int[] calls = {0};
            var q = new OutputQueue(trickleFile(ch, quota, calls), 1);
            q.staging.ascii("h|");
            q.addFile(f, 4, 6);
            assertThat(q.writeTo(ch)).isFalse();
            assertThat(q.writeTo(ch)).isFalse();
            assertThat(calls[0]).isEqualTo(2);
            assertThat(q.remaining()).isEqualTo(6);
            assertThat(new String(q.drain(), StandardCharsets.US_ASCII)).isEqualTo("456789");
            assertThat(ch.taken.toString(StandardCharsets.US_ASCII)).isEqualTo("h|");
        }
    }

    @Test
    void aPackThatShrankUnderTheSpanFailsInsteadOfSpinning(@TempDir Path tmp) throws Exception {
        try (FileChannel f = file(tmp, "0123456789")) {
            var q = new OutputQueue((file, position, count) -> 0, 1);
            q.addFile(f, 8, 5); // two bytes past the end: the socket would never take them
            assertThatThrownBy(() -> q.writeTo(new Trickle(100)))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("shorter");
        }
    }

    @Test
    void aQueueWithoutASinkTakesNoFiles(@TempDir Path tmp) throws Exception {
        try (FileChannel f = file(tmp, "x")) {
            var q = new OutputQueue();
            assertThat(q.takesFile(Long.MAX_VALUE)).isFalse();
            assertThatThrownBy(() -> q.addFile(f, 0, 1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theEndingOnlyGrows() {
        var q = new OutputQueue();
        q.end(OutputQueue.Ending.LINGER);
        q.end(OutputQueue.Ending.CLOSE);
        assertThat(q.ending()).isEqualTo(OutputQueue.Ending.LINGER);
        assertThat(q.closesAfter()).isTrue();
    }
}
