package org.mirari.runtime.internal.http;

import java.util.Optional;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.PackedKvStore;
import org.mirari.runtime.internal.text.Ascii;
import org.mirari.runtime.kv.KvEntry;
import org.mirari.runtime.kv.KvStore;

/** Serves a KV value with conditional and range requests (RFC 9110 §13, §14). */
public final class KvResponses {
    private KvResponses() {}

    /** The plain 200 response for a value, kept with the value in a packed store. */
    private record Full(String etag, Response response) {}

    public static Response serve(KvStore store, String key, Request request) {
        PackedKvStore.Slot slot = null;
        KvEntry entry;
        if (store instanceof PackedKvStore packed) {
            slot = packed.slot(key).orElse(null);
            entry = slot == null ? null : slot.entry();
        } else {
            entry = store.entry(key).orElse(null);
        }
        if (entry == null) {
            return Response.notFound();
        }
        String method = request.method();
        boolean get = method.equals("GET");
        if (!get && !method.equals("HEAD")) {
            return Response.methodNotAllowed("GET", "HEAD");
        }
        Full full = slot != null && slot.derived() instanceof Full f ? f : null;
        if (full == null) {
            String quoted = "\"" + entry.etag() + "\"";
            full = new Full(
                    quoted,
                    new Response(
                            200,
                            Headers.of("Content-Type", entry.contentType(), "ETag", quoted, "Accept-Ranges", "bytes"),
                            new Response.Body.Kv(store, entry.key(), 0, entry.size())));
            if (slot != null) {
                slot.derived(full);
            }
        }
        String etag = full.etag();
        Headers headers = request.headers();
        Optional<String> ifNoneMatch = headers.first("If-None-Match");
        if (ifNoneMatch.isPresent() && matchesAny(ifNoneMatch.get(), etag)) {
            return new Response(304, Headers.of("ETag", etag), new Response.Body.Empty());
        }
        long size = entry.size();
        Optional<String> range = get ? headers.first("Range") : Optional.empty();
        if (range.isPresent() && ifRangeHolds(headers.first("If-Range"), etag)) {
            long[] r = parseRange(range.get(), size);
            if (r == UNSATISFIABLE) {
                return new Response(
                        416, Headers.of("Content-Range", "bytes */" + size, "ETag", etag), new Response.Body.Empty());
            }
            if (r != null) {
                return new Response(
                        206,
                        Headers.of(
                                "Content-Type",
                                entry.contentType(),
                                "ETag",
                                etag,
                                "Accept-Ranges",
                                "bytes",
                                "Content-Range",
                                "bytes " + r[0] + "-" + r[1] + "/" + size),
                        new Response.Body.Kv(store, entry.key(), r[0], r[1] - r[0] + 1));
            }
        }
        return full.response();
    }

    /** If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
    private static boolean matchesAny(String list, String etag) {
        if (list.strip().equals("*")) {
            return true;
        }
        for (String tag : list.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** If-Range with an entity tag needs a strong match; a date never matches ours (RFC 9110 §13.1.5). */
    private static boolean ifRangeHolds(Optional<String> ifRange, String etag) {
        return ifRange.isEmpty() || ifRange.get().strip().equals(etag);
    }

    static final long[] UNSATISFIABLE = new long[0];

    /**
     * A single byte range as {@code {first, last}}, {@link #UNSATISFIABLE}, or null to ignore the
     * header (malformed, another unit, or several ranges: RFC 9110 §14.2 lets a server ignore it).
     */
    static long[] parseRange(String header, long size) {
        String h = header.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).strip();
        if (spec.indexOf(',') >= 0) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (!Ascii.digits(a, 18) && !a.isEmpty()
                || !Ascii.digits(b, 18) && !b.isEmpty()
                || a.isEmpty() && b.isEmpty()) {
            return null;
        }
        if (a.isEmpty()) { // suffix range: the last b bytes
            long n = Long.parseLong(b);
            if (n == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] {Math.max(0, size - n), size - 1};
        }
        long first = Long.parseLong(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
        if (last < first) {
            return null;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new long[] {first, Math.min(last, size - 1)};
    }
}
