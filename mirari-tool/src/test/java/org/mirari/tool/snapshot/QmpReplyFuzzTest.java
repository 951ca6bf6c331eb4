package org.mirari.tool.snapshot;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the reading of QEMU monitor lines: only {@link IllegalArgumentException} may escape, and
 * the fields read from an answer never throw. Seeds in {@code QmpReplyFuzzTestInputs/parse/};
 * run {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class QmpReplyFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        QmpReply r;
        try {
            r = QmpReply.parse(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException expected) {
            return;
        }
        if (r instanceof QmpReply.Return ret) {
            QmpReply.status(ret);
            QmpReply.text(ret);
        }
    }
}
