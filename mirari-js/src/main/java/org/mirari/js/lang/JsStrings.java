package org.mirari.js.lang;

import java.util.ArrayList;
import java.util.stream.Stream;

/** JDK methods TeaVM's class library lacks, written for it; the plugin in {@code teavm} calls them in their place. */
public final class JsStrings {
    private JsStrings() {}

    /**
     * {@code s.lines()}: the lines of {@code s}, split at {@code \n}, {@code \r} or {@code \r\n},
     * without their terminators; a final terminator ends the last line, it does not start an empty one.
     */
    public static Stream<String> lines(String s) {
        var lines = new ArrayList<String>();
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(s.substring(start, i));
                if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') i++;
                start = i + 1;
            }
        }
        if (start < n) lines.add(s.substring(start));
        return lines.stream();
    }
}
