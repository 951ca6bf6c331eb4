package org.mirari.tool.json;

/**
 * A JSON string literal (RFC 8259 section 7): the one escaper for every JSON text the tool writes,
 * whether a runc {@code config.json}, a Kubernetes manifest (YAML 1.2's double-quoted scalars accept
 * every JSON string, YAML 1.2 section 7.3.1), a QMP command, or a {@code --json} event.
 */
public final class JsonString {
    private JsonString() {}

    /**
     * {@code s} quoted, with {@code "} and {@code \\} escaped and every control character below
     * U+0020 written as an escape (the short forms where RFC 8259 has them, which read better in a
     * manifest or a log line than {@code \\u000a}). Nothing else is escaped: JSON texts are UTF-8.
     */
    public static String of(String s) {
        var b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
