package org.mirari.tool.supervise;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@code --restart}'s parser: any text gives a policy that reads back as itself, or an
 * {@link IllegalArgumentException} naming the text; nothing else escapes.
 */
class RestartPolicyFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] data) {
        var text = new String(data, StandardCharsets.UTF_8);
        RestartPolicy policy;
        try {
            policy = RestartPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("--restart \""))
                throw new AssertionError("unhelpful message for " + text + ": " + e.getMessage());
            return;
        }
        if (!RestartPolicy.parse(policy.toString()).equals(policy))
            throw new AssertionError(text + " reads back as another policy: " + policy);
        if (policy.mode() != RestartPolicy.Mode.NO && (policy.maxQuick() < 1 || policy.maxQuick() > 1000))
            throw new AssertionError(text + " gave a count out of range: " + policy);
    }
}
