package org.mirari.tool.cli;

import java.util.List;

/** Just enough JSON for {@code --json}: strings, numbers, booleans, null, lists of strings, flat objects (RFC 8259). */
final class Json {
    private Json() {}

    /** An object from alternating keys and values (String, Number, Boolean, null, or a List of Strings). */
    static String object(Object... pairs) {
        var b = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) b.append(',');
            b.append(string((String) pairs[i])).append(':').append(value(pairs[i + 1]));
        }
        return b.append('}').toString();
    }

    static String array(List<String> values) {
        return "[" + String.join(",", values) + "]";
    }

    private static String value(Object v) {
        return switch (v) {
            case null -> "null";
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case String s -> string(s);
            case List<?> l ->
                array(l.stream().map(x -> string(String.valueOf(x))).toList());
            default -> string(v.toString());
        };
    }

    /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259 section 7). */
    static String string(String s) {
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
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
