package org.mirari.tool.cli;

import java.util.List;
import org.mirari.tool.json.JsonString;

/** Just enough JSON for {@code --json}: strings, numbers, booleans, null, lists of strings, flat objects (RFC 8259). */
final class Json {
    private Json() {}

    /** An object from alternating keys and values (String, Number, Boolean, null, or a List of Strings). */
    static String object(Object... pairs) {
        var b = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) b.append(',');
            b.append(JsonString.of((String) pairs[i])).append(':').append(value(pairs[i + 1]));
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
            case String s -> JsonString.of(s);
            case List<?> l ->
                array(l.stream().map(x -> JsonString.of(String.valueOf(x))).toList());
            default -> JsonString.of(v.toString());
        };
    }
}
