package org.mirari.runtime.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP header fields in arrival order (immutable). Names compare case-insensitively
 * (RFC 9110 §5.1); a name may repeat.
 *
 * @param fields the fields, in order
 */
public record Headers(List<Field> fields) {
    private static final Headers EMPTY = new Headers(List.of());

    /**
     * One header field. The name must be a token and the value free of CR, LF and NUL
     * (RFC 9110 §5.1, §5.5), so that no value can smuggle another header or response.
     */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty header name");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                    throw new IllegalArgumentException("header name \"" + name + "\" is not a token");
                }
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    throw new IllegalArgumentException("header " + name + " has a CR, LF or NUL in its value");
                }
            }
        }
    }

    public Headers {
        fields = List.copyOf(fields);
    }

    /** No fields. */
    public static Headers of() {
        return EMPTY;
    }

    /** Fields from alternating names and values: {@code Headers.of("Cache-Control", "no-store")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        var list = new ArrayList<Field>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Headers(list);
    }

    /** The first value of {@code name}, if any. */
    public Optional<String> first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        var out = new ArrayList<String>(2);
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.value());
            }
        }
        return List.copyOf(out);
    }

    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** These fields plus one more at the end. */
    public Headers with(String name, String value) {
        var list = new ArrayList<Field>(fields.size() + 1);
        list.addAll(fields);
        list.add(new Field(name, value));
        return new Headers(list);
    }

    /** These fields without any named {@code name}, plus {@code name: value}. */
    public Headers replacing(String name, String value) {
        var list = new ArrayList<Field>(fields.size() + 1);
        for (Field f : fields) {
            if (!f.name().equalsIgnoreCase(name)) {
                list.add(f);
            }
        }
        list.add(new Field(name, value));
        return new Headers(list);
    }
}
