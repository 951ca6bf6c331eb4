package org.mirari.tool.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits conf text into {@code key: value} lines. The format is the original tool's: {@code #}
 * starts a comment line (only at the start of a line, after blanks: values such as
 * {@code xl-vif: [ 'mac=...' ]} may contain anything), blank lines are ignored, the key ends at
 * the first colon. Accepts LF, CRLF and CR line ends, tabs, trailing blanks, a leading UTF-8 BOM
 * and a missing final newline. Columns count characters from 1 (a tab is one column).
 */
final class ConfLines {
    private ConfLines() {}

    /** One {@code key: value} line; {@code value} is stripped of surrounding blanks. */
    record Line(String key, Position keyAt, String value, Position valueAt) {}

    static List<Line> split(String text, String shownAs, List<Problem> problems) {
        var out = new ArrayList<Line>();
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        int lineNo = 1;
        int i = start;
        while (i <= text.length()) {
            int end = i;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
            parseLine(text.substring(i, end), shownAs, lineNo, out, problems);
            if (end >= text.length()) break;
            if (text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n') end++;
            i = end + 1;
            lineNo++;
        }
        return out;
    }

    private static void parseLine(String line, String shownAs, int lineNo, List<Line> out, List<Problem> problems) {
        int k = skipBlanks(line, 0);
        if (k == line.length() || line.charAt(k) == '#') return;
        int colon = line.indexOf(':', k);
        var keyAt = new Position(shownAs, lineNo, k + 1);
        if (colon < 0) {
            problems.add(new Problem(
                    keyAt,
                    "\"" + shorten(line.strip())
                            + "\" is not a key: value line; write key: value, or start a comment with #"));
            return;
        }
        var key = line.substring(k, colon).stripTrailing();
        if (!isKey(key)) {
            problems.add(new Problem(
                    keyAt,
                    "\"" + shorten(key) + "\" is not a key; keys are letters, digits, - and _ (e.g. http-port)"));
            return;
        }
        int v = skipBlanks(line, colon + 1);
        int e = line.length();
        while (e > v && isBlank(line.charAt(e - 1))) e--;
        out.add(new Line(key, keyAt, line.substring(v, e), new Position(shownAs, lineNo, v + 1)));
    }

    static boolean isKey(String key) {
        if (key.isEmpty()) return false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '_'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    static int skipBlanks(String s, int from) {
        while (from < s.length() && isBlank(s.charAt(from))) from++;
        return from;
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000b';
    }

    /** Keeps quoted input short in messages. */
    static String shorten(String s) {
        var t = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        var b = new StringBuilder();
        t.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) b.append(String.format("\\u%04x", cp));
            else b.appendCodePoint(cp);
        });
        return b.toString();
    }
}
