package org.mirari.runtime.internal.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a request target into a decoded path and query parameters (RFC 9112 §3.2, RFC 3986). */
public final class Targets {
    private Targets() {}

    /** A target's decoded parts. */
    public record Parsed(String path, Map<String, List<String>> query) {}

    private static final Parsed ROOT = new Parsed("/", Map.of());

    public static Parsed parse(String target) throws HttpParseException {
        if (target.equals("/")) {
            return ROOT;
        }
        String rest = target;
        if (!rest.startsWith("/")) {
            int scheme = rest.indexOf("://");
            if (rest.equals("*") || scheme < 0) {
                return new Parsed(rest, Map.of()); // asterisk-form or authority-form: no path to decode
            }
            int slash = rest.indexOf('/', scheme + 3);
            rest = slash < 0 ? "/" : rest.substring(slash); // absolute-form: keep the path and query
        }
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String path = rawPath.indexOf('%') < 0 ? rawPath : decode(rawPath, false);
        if (q < 0 || q == rest.length() - 1) {
            return new Parsed(path, Map.of());
        }
        var query = new LinkedHashMap<String, List<String>>();
        for (String pair : rest.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            query.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        var frozen = new LinkedHashMap<String, List<String>>();
        query.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Parsed(path, Map.copyOf(frozen));
    }

    /** Percent-decodes {@code s} as UTF-8; {@code plus} turns {@code +} into a space (forms). */
    static String decode(String s, boolean plus) throws HttpParseException {
        if (s.indexOf('%') < 0 && (!plus || s.indexOf('+') < 0)) {
            return s;
        }
        var out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new HttpParseException(400, "malformed percent-encoding in request target");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (plus && c == '+') {
                out.write(' ');
            } else {
                out.write(c); // the target was checked to be ASCII
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
