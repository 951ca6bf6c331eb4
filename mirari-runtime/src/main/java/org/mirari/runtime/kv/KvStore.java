package org.mirari.runtime.kv;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A read-only key-value store made at configure time from an {@code fs-<name>} directory.
 * Keys are normalised relative paths with {@code /} separators ({@code css/site.css}); a key that
 * would escape the store ({@code ..}, absolute, NUL, backslash) is simply absent.
 */
public interface KvStore {
    /** The store's name, as in {@code fs-<name>}. */
    String name();

    /** Every key, sorted. */
    List<String> list();

    boolean exists(String key);

    /** The value's size in bytes; {@link java.util.NoSuchElementException} if absent. */
    long size(String key);

    /**
     * Up to {@code length} bytes of the value from {@code offset}, as a read-only buffer that
     * shares the mapped store (no copy); fewer bytes at the end of the value.
     */
    ByteBuffer read(String key, long offset, long length);

    /** A strong content hash of the value, usable as an HTTP ETag (without quotes). */
    String etag(String key);

    /** The media type guessed from the key's extension ({@code application/octet-stream} if unknown). */
    String contentType(String key);

    /** Metadata of one key, if present. */
    Optional<KvEntry> entry(String key);
}
