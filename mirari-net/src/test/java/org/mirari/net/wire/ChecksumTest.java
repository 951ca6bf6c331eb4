package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The word-at-a-time checksum gives the RFC 1071 sum of 16-bit words for any offset and length. */
class ChecksumTest {
    static long slow(long sum, ByteBuffer b, int offset, int len) {
        int i = offset, end = offset + len;
        for (; i + 1 < end; i += 2) sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
        if (i < end) sum += (b.get(i) & 0xff) << 8;
        return sum;
    }

    @Test
    void matchesTheSumOfSixteenBitWords() {
        var random = new SplittableRandom(5);
        var b = ByteBuffer.allocate(70_000);
        random.nextBytes(b.array());
        for (int n = 0; n < 2000; n++) {
            int off = random.nextInt(64), len = random.nextInt(n < 1000 ? 40 : 69_000);
            long start = random.nextInt(0x10000);
            assertThat(Checksum.finish(Checksum.add(start, b, off, len)))
                    .as("offset %d length %d", off, len)
                    .isEqualTo(Checksum.finish(slow(start, b, off, len)));
        }
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d
        var b = ByteBuffer.wrap(
                new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertThat(Checksum.of(b, 0, 8)).isEqualTo(0x220d);
    }
}
