package org.mirari.runtime.kv;

/**
 * Metadata of one value in a {@link KvStore}.
 *
 * @param key          the normalised key
 * @param size         the value's size in bytes
 * @param etag         the value's SHA-256, lower-case hex (a strong ETag without quotes)
 * @param contentType  the media type chosen from the key's extension
 */
public record KvEntry(String key, long size, String etag, String contentType) {}
