package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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

    @Test
    void theEndingOnlyGrows() {
        var q = new OutputQueue();
        q.end(OutputQueue.Ending.LINGER);
        q.end(OutputQueue.Ending.CLOSE);
        assertThat(q.ending()).isEqualTo(OutputQueue.Ending.LINGER);
        assertThat(q.closesAfter()).isTrue();
    }
}
