package org.mirari.runtime.console;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the restore line's parser (what a restored guest reads from its serial port): only
 * {@link IllegalArgumentException} may escape, and a line that parses prints back to one that
 * parses to the same message. Seeds in {@code RestoreMessageFuzzTestInputs/parse/}; run
 * {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class RestoreMessageFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        String line = new String(data, StandardCharsets.ISO_8859_1);
        RestoreMessage m;
        try {
            m = RestoreMessage.parse(line);
        } catch (IllegalArgumentException | ArithmeticException expected) {
            return;
        }
        if (!RestoreMessage.parse(m.line()).equals(m)) throw new IllegalStateException("round trip of " + m);
        RestoreMessage.parseAck(line);
    }
}
