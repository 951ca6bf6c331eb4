package org.mirari.tool.backend;

/**
 * A JSON string literal (RFC 8259 section 7), for the text files backends write (runc's
 * {@code config.json}) and, since YAML 1.2's double-quoted scalars accept every JSON string
 * (YAML 1.2 section 7.3.1), for Kubernetes manifests.
 */
public final class JsonString {
    private JsonString() {}

    /** {@code s} quoted, with {@code "}, {@code \\} and the control characters escaped. */
    public static String of(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
