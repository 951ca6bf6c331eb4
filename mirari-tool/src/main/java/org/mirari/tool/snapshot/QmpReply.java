package org.mirari.tool.snapshot;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line QEMU's machine protocol sends (a JSON object a line, qapi's wire format): the answer to a
 * command, an error, an asynchronous event, or the greeting. Only what Mirari reads is parsed: the
 * kind, an error's {@code desc}, a string answer (HMP's text through {@code human-monitor-command})
 * and a {@code "status"} field (query-migrate, query-status).
 */
public sealed interface QmpReply {
    record Return(String json) implements QmpReply {}

    record Error(String description) implements QmpReply {}

    record Event(String name) implements QmpReply {}

    record Greeting() implements QmpReply {}

    Pattern DESC = Pattern.compile("\"desc\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([A-Z0-9_]{1,64})\"");
    Pattern STRING_RETURN = Pattern.compile("^\\{\\s*\"return\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]{1,32})\"");
    Pattern ERROR_DESC = Pattern.compile("\"error-desc\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    int MAX_LINE = 1 << 20;

    /** The line's kind; {@link IllegalArgumentException} when it is none of them. */
    static QmpReply parse(String line) {
        if (line.length() > MAX_LINE)
            throw new IllegalArgumentException("a QMP line of " + line.length() + " characters");
        String s = line.strip();
        if (!s.startsWith("{") || !s.endsWith("}"))
            throw new IllegalArgumentException("not a JSON object: " + shorten(s));
        if (s.startsWith("{\"QMP\"")) return new Greeting();
        if (s.startsWith("{\"return\"")) return new Return(s);
        if (s.startsWith("{\"error\"")) {
            Matcher m = DESC.matcher(s);
            return new Error(m.find() ? unescape(m.group(1)) : shorten(s));
        }
        Matcher e = EVENT.matcher(s);
        if (e.find()) return new Event(e.group(1));
        if (s.startsWith("{\"timestamp\"")) return new Event("");
        throw new IllegalArgumentException("not a QMP reply: " + shorten(s));
    }

    /** A string answer ({@code {"return": "text"}}, as HMP commands give), unescaped. */
    static Optional<String> text(Return r) {
        Matcher m = STRING_RETURN.matcher(r.json());
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    /** The first {@code "status"} field of an answer. */
    static Optional<String> status(Return r) {
        Matcher m = STATUS.matcher(r.json());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A failed migration's reason ({@code query-migrate}'s {@code "error-desc"}), unescaped. */
    static Optional<String> errorDescription(Return r) {
        Matcher m = ERROR_DESC.matcher(r.json());
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    /** JSON string escapes (RFC 8259 §7) undone. */
    static String unescape(String s) {
        var b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (i + 4 < s.length() && s.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else b.append("\\u");
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
