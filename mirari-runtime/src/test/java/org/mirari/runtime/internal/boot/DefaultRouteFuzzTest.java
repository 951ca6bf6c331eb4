package org.mirari.runtime.internal.boot;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzzes the reader of {@code /proc/net/route} against the one it replaced (lines, {@code trim},
 * {@code split("\\s+")}): the same route for every table, and no exception. Seeds in
 * {@code DefaultRouteFuzzTestInputs/}; run {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class DefaultRouteFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        String table = new String(data, StandardCharsets.ISO_8859_1);
        var ours = DefaultRoute.parse(table);
        var theirs = bySplit(table);
        if (!ours.equals(theirs)) throw new IllegalStateException(ours + " != " + theirs + " for " + table);
    }

    /** The former reader, kept as the reference. */
    private static Optional<DefaultRoute> bySplit(String table) {
        try {
            for (String line : table.split("\r\n|\r|\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000") && !f[2].equals("00000000")) {
                    int g = Integer.reverseBytes(Integer.parseUnsignedInt(f[2], 16));
                    return Optional.of(new DefaultRoute(f[0], (Inet4Address) InetAddress.getByAddress(
                            new byte[] {(byte) (g >>> 24), (byte) (g >>> 16), (byte) (g >>> 8), (byte) g})));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // as the former reader: nothing
        }
        return Optional.empty();
    }
}
