package org.mirari.runtime.internal.kv;

import java.util.Optional;

/**
 * Key normalisation shared by the pack writer and the store. A key is a relative path with
 * {@code /} separators; empty and {@code .} segments are dropped, so {@code ./a//b} is {@code a/b}.
 * Anything that could name a file outside the store (a {@code ..} segment, a leading {@code /},
 * a backslash, a NUL) has no normal form: such a key is never found, whatever the store holds.
 */
public final class Keys {
    private Keys() {}

    /** The normal form of {@code key}, or empty when the key is unusable. */
    public static Optional<String> normalize(String key) {
        if (key == null || key.isEmpty() || key.charAt(0) == '/') {
            return Optional.empty();
        }
        if (key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        if (isPlain(key)) {
            return Optional.of(key); // the common case: no allocation beyond the check
        }
        var out = new StringBuilder(key.length());
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return Optional.empty();
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
    }

    /** True when no segment is empty, {@code .} or {@code ..}. */
    private static boolean isPlain(String key) {
        int start = 0;
        int n = key.length();
        while (start <= n) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int len = end - start;
            if (len == 0) {
                return false;
            }
            if (key.charAt(start) == '.' && (len == 1 || (len == 2 && key.charAt(start + 1) == '.'))) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }
}
