package org.mirari.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.mirari.runtime.internal.http.KvResponses;
import org.mirari.runtime.kv.KvStore;

/**
 * An HTTP response (immutable). Build one with the helpers ({@link #ok(String)},
 * {@link #kv(KvStore, Request)}, {@link #notFound()}...) and adjust it with
 * {@link #withHeader(String, String)} and {@link #withStatus(int)}.
 *
 * <p>The server adds {@code Content-Length}, {@code Date} and {@code Connection}; the app's own
 * {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} fields are ignored. A
 * {@code HEAD} request gets the headers of the response without its body; 1xx, 204 and 304
 * responses never carry a body.
 *
 * @param status   the status code, 100-999
 * @param headers  header fields, {@code Content-Type} included
 * @param body     what follows the header
 */
public record Response(int status, Headers headers, Body body) {

    /** A response body. */
    public sealed interface Body {
        /** No body. */
        record Empty() implements Body {}

        /** Bytes held by the app (not copied: do not modify the array afterwards). */
        record Bytes(byte[] bytes) implements Body {
            public Bytes {
                Objects.requireNonNull(bytes, "bytes");
            }
        }

        /**
         * {@code length} bytes of a KV value from {@code offset}, sent straight from the mapped
         * store without copying it to the heap.
         */
        record Kv(KvStore store, String key, long offset, long length) implements Body {
            public Kv {
                Objects.requireNonNull(store, "store");
                Objects.requireNonNull(key, "key");
                if (offset < 0 || length < 0) {
                    throw new IllegalArgumentException("negative offset or length");
                }
            }
        }
    }

    private static final Body EMPTY = new Body.Empty();
    private static final String TEXT = "text/plain; charset=utf-8";

    public Response {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status; use 100-999");
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** 200 with a {@code text/plain; charset=utf-8} body. */
    public static Response ok(String text) {
        return text(200, text);
    }

    /** {@code status} with a {@code text/plain; charset=utf-8} body. */
    public static Response text(int status, String text) {
        return bytes(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with a {@code text/html; charset=utf-8} body. */
    public static Response html(String html) {
        return bytes(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with an {@code application/json} body (already serialised). */
    public static Response json(String json) {
        return bytes(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code status} with {@code body} of media type {@code contentType}. */
    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, Headers.of("Content-Type", contentType), new Body.Bytes(body));
    }

    /** {@code status} with no body. */
    public static Response status(int status) {
        return new Response(status, Headers.of(), EMPTY);
    }

    /** 204 No Content. */
    public static Response noContent() {
        return status(204);
    }

    /** 404 with a short text body. */
    public static Response notFound() {
        return text(404, "Not Found\n");
    }

    /** 400 with {@code message} as a text body. */
    public static Response badRequest(String message) {
        return text(400, message.endsWith("\n") ? message : message + "\n");
    }

    /** 405 with {@code Allow} listing the methods the resource does accept (RFC 9110 §15.5.6). */
    public static Response methodNotAllowed(String... allowed) {
        return text(405, "Method Not Allowed\n").withHeader("Allow", String.join(", ", allowed));
    }

    /** 302 Found to {@code location}. */
    public static Response redirect(String location) {
        return status(302).withHeader("Location", location);
    }

    /**
     * Serves value {@code key} of {@code store} as a static file server would: 404 when absent;
     * 405 with {@code Allow: GET, HEAD} for other methods; {@code ETag} (the value's SHA-256),
     * {@code Content-Type} and {@code Accept-Ranges: bytes}; 304 when {@code If-None-Match}
     * matches; a single {@code Range: bytes=...} gives 206 with {@code Content-Range}, or 416 when
     * it cannot be satisfied ({@code If-Range} honoured; several ranges get the whole value).
     */
    public static Response kv(KvStore store, String key, Request request) {
        return KvResponses.serve(store, key, request);
    }

    /**
     * {@link #kv(KvStore, String, Request)} with the key taken from the request's path: the
     * leading {@code /} dropped, and {@code index.html} added to a path ending in {@code /}.
     * So {@code GET /} serves {@code index.html} and {@code GET /css/site.css} serves
     * {@code css/site.css}; {@code GET /docs}, when only {@code docs/index.html} exists, is
     * redirected (301) to {@code /docs/} as a web server does for a directory.
     */
    public static Response kv(KvStore store, Request request) {
        String path = request.path();
        String key = path.startsWith("/") ? path.substring(1) : path;
        if (key.isEmpty() || key.endsWith("/")) {
            key += "index.html";
        } else if (!store.exists(key) && store.exists(key + "/index.html")) {
            String target = request.target();
            int q = target.indexOf('?');
            String location = q < 0 ? target + "/" : target.substring(0, q) + "/" + target.substring(q);
            return status(301).withHeader("Location", location);
        }
        return kv(store, key, request);
    }

    /** This response with one more header field. */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body);
    }

    /** This response with another status. */
    public Response withStatus(int newStatus) {
        return new Response(newStatus, headers, body);
    }

    /** The {@code Content-Type} header, if set. */
    public java.util.Optional<String> contentType() {
        return headers.first("Content-Type");
    }
}
