package org.mirari.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as the app sees it (immutable; the body array is the server's and must not be
 * modified).
 *
 * @param method   the method as sent, such as {@code GET} (case-sensitive, RFC 9110 §9.1)
 * @param target   the request target as sent: {@code /a%20b?x=1}
 * @param path     the target's path, percent-decoded as UTF-8: {@code /a b}
 * @param query    the query parameters, decoded ({@code +} is a space)
 * @param headers  the header fields
 * @param body     the body, de-chunked; empty when there is none
 */
public record Request(
        String method, String target, String path, Map<String, List<String>> query, Headers headers, byte[] body) {
    private static final byte[] NO_BODY = new byte[0];

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(headers, "headers");
        body = body == null ? NO_BODY : body;
    }

    /** A request with no query, headers or body: handy in tests of handlers. */
    public static Request of(String method, String path) {
        return new Request(method, path, path, Map.of(), Headers.of(), NO_BODY);
    }

    /** The first value of header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + target + " (" + body.length + " body bytes)";
    }
}
