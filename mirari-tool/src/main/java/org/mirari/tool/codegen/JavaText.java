package org.mirari.tool.codegen;

/** Escaping for values written into generated Java source. */
final class JavaText {
    private JavaText() {}

    /** A Java string literal with quotes. */
    static String literal(String s) {
        var b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** Text safe inside a {@code //} comment (no line breaks, no unicode escapes javac would decode). */
    static String comment(String s) {
        return s.replace("\\u", "\\ u").replaceAll("[\\r\\n\\u2028\\u2029]", " ");
    }
}
