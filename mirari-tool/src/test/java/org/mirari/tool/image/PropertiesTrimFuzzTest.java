package org.mirari.tool.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link PropertiesTrim}: for any text, {@link java.util.Properties} reads the trimmed text
 * as the same properties as the original, and trimming never adds a character. Seeds in
 * {@code PropertiesTrimFuzzTestInputs/same/}.
 */
class PropertiesTrimFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void same(byte[] data) {
        var text = new String(data, StandardCharsets.ISO_8859_1);
        String trimmed = PropertiesTrim.withoutComments(text);
        if (trimmed.length() > text.length()) throw new AssertionError("trimming grew " + text);
        var before = PropertiesTrimTest.load(text);
        var after = PropertiesTrimTest.load(trimmed);
        if (!before.equals(after))
            throw new AssertionError("trimming changed the properties of "
                    + text.replace("\n", "\\n").replace("\r", "\\r") + ": " + before + " became " + after);
    }
}
