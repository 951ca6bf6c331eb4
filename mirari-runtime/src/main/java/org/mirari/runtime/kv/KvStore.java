package org.mirari.runtime.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mirari.runtime.internal.kv.PackedKvStore;

/**
 * A read-only key-value store made at configure time from an {@code fs-<name>} directory
 * (by the tool, with {@code internal.kv.KvPackWriter}) and mapped from its pack file at run time, so values never sit on the
 * heap. Apps get their stores with {@link org.mirari.runtime.Mirari#store(String)}.
 *
 * <p>Keys are relative paths with {@code /} separators ({@code css/site.css}). Lookups normalise
 * the key first ({@code ./css//site.css} is {@code css/site.css}); a key that could escape the
 * store (a {@code ..} segment, a leading {@code /}, a backslash, a NUL) is simply absent.
 * Stores are safe to use from many threads.
 */
public interface KvStore {
    /** The most bytes one {@link #read} returns: the largest buffer the JDK makes (about 2 GiB). */
    int MAX_READ = Integer.MAX_VALUE - 8;

    /** Maps a pack file written by {@code mirari configure}; the name is the file name without {@code .kv}. */
    static KvStore open(Path packFile) throws IOException {
        return PackedKvStore.open(packFile);
    }

    /** The store's name, as in {@code fs-<name>}. */
    String name();

    /** Every key, sorted. */
    List<String> list();

    /** Whether {@code key} (normalised) names a value. */
    boolean exists(String key);

    /** The value's size in bytes; {@link java.util.NoSuchElementException} if absent. */
    long size(String key);

    /**
     * Up to {@code length} bytes of the value from {@code offset}, as a read-only buffer that
     * shares the mapped store (no copy); fewer bytes at the end of the value, none past it, and at
     * most {@link #MAX_READ} bytes per call (read larger values in slices).
     * {@link java.util.NoSuchElementException} if absent, {@link IllegalArgumentException} for a
     * negative offset or length.
     */
    ByteBuffer read(String key, long offset, long length);

    /**
     * A copy of the whole value on the heap: for small values such as templates. Large values
     * are better {@link #read} in slices. {@link java.util.NoSuchElementException} if absent;
     * {@link IllegalStateException} for a value over 2 GiB.
     */
    default byte[] bytes(String key) {
        long size = size(key);
        if (size > MAX_READ) {
            throw new IllegalStateException(
                    key + " is " + size + " bytes, too large for an array; use read(key, offset, length)");
        }
        ByteBuffer buffer = read(key, 0, size);
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** The whole value decoded as UTF-8 (see {@link #bytes(String)}). */
    default String text(String key) {
        return new String(bytes(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The value's SHA-256 in lower-case hex, usable as a strong HTTP ETag (without quotes). */
    String etag(String key);

    /**
     * The media type guessed at pack time from the key's extension ({@code text/html;
     * charset=utf-8}, {@code image/png}, {@code application/octet-stream} if unknown).
     */
    String contentType(String key);

    /** Metadata of one key, if present. */
    Optional<KvEntry> entry(String key);
}
