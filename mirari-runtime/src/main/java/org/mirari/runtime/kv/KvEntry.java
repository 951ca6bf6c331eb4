package org.mirari.runtime.kv;

/** Metadata of one value in a {@link KvStore}. */
public record KvEntry(String key, long size, String etag, String contentType) {}
