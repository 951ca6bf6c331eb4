package org.mirari.js.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of the DevTools protocol: parsed into maps, lists, strings, doubles, booleans and null; written from the same. */
final class Json {
    private final String s;
    private int p;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        var json = new Json(text);
        var value = json.value();
        json.space();
        if (json.p != text.length()) throw json.error("trailing text");
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    static String write(Object value) {
        var out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String str -> {
                out.append('"');
                for (char c : str.toCharArray()) {
                    if (c == '"' || c == '\\') out.append('\\').append(c);
                    else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
                out.append('"');
            }
            case Map<?, ?> map -> {
                out.append('{');
                var first = true;
                for (var e : map.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    write(e.getKey().toString(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> out.append(value);
        }
    }

    private Object value() {
        space();
        if (p >= s.length()) throw error("unexpected end");
        char c = s.charAt(p);
        switch (c) {
            case '{' -> {
                p++;
                var map = new LinkedHashMap<String, Object>();
                space();
                if (peek('}')) return map;
                do {
                    space();
                    var key = string();
                    space();
                    expect(':');
                    map.put(key, value());
                    space();
                } while (take(','));
                expect('}');
                return map;
            }
            case '[' -> {
                p++;
                var list = new ArrayList<Object>();
                space();
                if (peek(']')) return list;
                do list.add(value());
                while (take(','));
                space();
                expect(']');
                return list;
            }
            case '"' -> {
                return string();
            }
            default -> {
                if (s.startsWith("true", p)) return literal("true", Boolean.TRUE);
                if (s.startsWith("false", p)) return literal("false", Boolean.FALSE);
                if (s.startsWith("null", p)) return literal("null", null);
                int start = p;
                while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) p++;
                if (start == p) throw error("unexpected " + c);
                return Double.parseDouble(s.substring(start, p));
            }
        }
    }

    private Object literal(String word, Object value) {
        p += word.length();
        return value;
    }

    private String string() {
        expect('"');
        var out = new StringBuilder();
        while (true) {
            if (p >= s.length()) throw error("unterminated string");
            char c = s.charAt(p++);
            if (c == '"') return out.toString();
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(p++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    p += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private void space() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
    }

    private boolean peek(char c) {
        if (p < s.length() && s.charAt(p) == c) {
            p++;
            return true;
        }
        return false;
    }

    private boolean take(char c) {
        space();
        return peek(c);
    }

    private void expect(char c) {
        if (!peek(c)) throw error("expected " + c);
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + p + " of " + s.substring(0, Math.min(s.length(), 200)));
    }
}
