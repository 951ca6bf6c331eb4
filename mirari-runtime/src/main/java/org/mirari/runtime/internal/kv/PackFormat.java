package org.mirari.runtime.internal.kv;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a packed KV store ({@code <store>.kv}), shared by writer and reader. All numbers
 * are big-endian.
 *
 * <pre>
 * header (32 bytes): magic "MIRARIKV" | u32 version (1) | u32 count | u64 indexOffset | u64 indexLength
 * data:              the values, back to back, in key order, from offset 32
 * index:             count entries, sorted by key:
 *                    u16 keyLength | key (UTF-8) | u8 typeLength | content type (ASCII)
 *                    | u64 offset | u64 size | 32 bytes SHA-256 of the value
 * </pre>
 *
 * The index comes last because each value's hash is only known once the value is copied; this
 * lets the writer stream every file exactly once.
 */
public final class PackFormat {
    public static final byte[] MAGIC = "MIRARIKV".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 32;
    public static final int HASH_SIZE = 32;
    public static final int MAX_KEY_BYTES = 0xFFFF;
    public static final int MAX_TYPE_BYTES = 0xFF;

    private PackFormat() {}
}
