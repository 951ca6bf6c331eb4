package org.mirari.js.runtime.internal.kv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.mirari.runtime.internal.kv.Keys;
import org.mirari.runtime.internal.kv.PackFormat;
import org.mirari.runtime.kv.KvEntry;
import org.mirari.runtime.kv.KvStore;

/**
 * What {@code org.mirari.runtime.internal.kv.PackedKvStore} is in JavaScript, which has no file
 * mapping (FFM): a {@link KvStore} over a pack file's bytes held in one array, read as the JVM's
 * mapped store reads it (the format of {@link PackFormat}, the same checks), so the values and
 * their SHA-256 ETags are the bytes configure wrote. Same {@link #slot} and {@link Slot} as the
 * JVM's, so the HTTP layer's response cache works alike. {@link #read} hands out read-only views
 * of the array, never copies.
 */
public final class PackedKvStore implements KvStore {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** One value: where it lives in the pack, its metadata, and a slot for what the HTTP layer derives from them. */
    public static final class Slot {
        private final KvEntry entry;
        private final long offset;
        private Object derived;

        Slot(KvEntry entry, long offset) {
            this.entry = entry;
            this.offset = offset;
        }

        public KvEntry entry() {
            return entry;
        }

        public long offset() {
            return offset;
        }

        /** What a caller derived from this value earlier, or null. */
        public Object derived() {
            return derived;
        }

        public void derived(Object value) {
            derived = value;
        }
    }

    private final String name;
    private final byte[] pack;
    private final Map<String, Slot> slots;
    private final List<String> keys;

    private PackedKvStore(String name, byte[] pack, Map<String, Slot> slots, List<String> keys) {
        this.name = name;
        this.pack = pack;
        this.slots = slots;
        this.keys = keys;
    }

    /** Reads the index of {@code pack}; {@link IllegalStateException} saying what is wrong with a corrupt one. */
    public static PackedKvStore of(String name, byte[] pack) {
        if (pack.length < PackFormat.HEADER_SIZE) throw new IllegalStateException("shorter than its header");
        var in = ByteBuffer.wrap(pack).order(ByteOrder.BIG_ENDIAN);
        if (!Arrays.equals(Arrays.copyOf(pack, PackFormat.MAGIC.length), PackFormat.MAGIC))
            throw new IllegalStateException("not a KV pack (bad magic)");
        int version = in.getInt(8);
        if (version != PackFormat.VERSION)
            throw new IllegalStateException("pack version " + version + ", this runtime reads " + PackFormat.VERSION
                    + "; run mirari configure again");
        int count = in.getInt(12);
        long indexOffset = in.getLong(16);
        long indexLength = in.getLong(24);
        long total = pack.length;
        if (count < 0
                || indexOffset < PackFormat.HEADER_SIZE
                || indexLength < 0
                || indexOffset > total
                || indexLength != total - indexOffset) throw new IllegalStateException("index out of bounds");
        var slots = new HashMap<String, Slot>();
        var keys = new ArrayList<String>(count);
        int p = (int) indexOffset;
        try {
            for (int i = 0; i < count; i++) {
                int keyLen = Short.toUnsignedInt(in.getShort(p));
                p += 2;
                String key = new String(slice(pack, p, keyLen), StandardCharsets.UTF_8);
                p += keyLen;
                int typeLen = Byte.toUnsignedInt(in.get(p));
                p += 1;
                String type = new String(slice(pack, p, typeLen), StandardCharsets.US_ASCII);
                p += typeLen;
                long offset = in.getLong(p);
                long size = in.getLong(p + 8);
                p += 16;
                String etag = hex(slice(pack, p, PackFormat.HASH_SIZE));
                p += PackFormat.HASH_SIZE;
                if (offset < PackFormat.HEADER_SIZE || offset > indexOffset || size < 0 || size > indexOffset - offset)
                    throw new IllegalStateException("value of " + key + " out of bounds");
                if (slots.put(key, new Slot(new KvEntry(key, size, etag, type), offset)) != null)
                    throw new IllegalStateException("duplicate key " + key);
                keys.add(key);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalStateException("truncated index");
        }
        keys.sort(null);
        return new PackedKvStore(name, pack, Map.copyOf(slots), List.copyOf(keys));
    }

    private static byte[] slice(byte[] pack, int from, int length) {
        if (from < 0 || length < 0 || from + length > pack.length) throw new IndexOutOfBoundsException();
        return Arrays.copyOfRange(pack, from, from + length);
    }

    /** Lower-case hex, as the JVM's {@code HexFormat} (which TeaVM lacks) writes it. */
    private static String hex(byte[] bytes) {
        var out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** The slot of a key, normalised first; empty when absent or unusable. */
    public Optional<Slot> slot(String key) {
        Slot direct = key == null ? null : slots.get(key);
        if (direct != null) return Optional.of(direct);
        return Keys.normalize(key).map(slots::get);
    }

    private Slot require(String key) {
        return slot(key).orElseThrow(() -> new NoSuchElementException("no key " + key + " in KV store " + name));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> list() {
        return keys;
    }

    @Override
    public boolean exists(String key) {
        return slot(key).isPresent();
    }

    @Override
    public long size(String key) {
        return require(key).entry().size();
    }

    @Override
    public ByteBuffer read(String key, long offset, long length) {
        if (offset < 0 || length < 0)
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        Slot s = require(key);
        long size = s.entry().size();
        if (offset >= size || length == 0) return EMPTY;
        int n = (int) Math.min(length, size - offset);
        return ByteBuffer.wrap(pack, (int) (s.offset() + offset), n).slice().asReadOnlyBuffer();
    }

    @Override
    public String etag(String key) {
        return require(key).entry().etag();
    }

    @Override
    public String contentType(String key) {
        return require(key).entry().contentType();
    }

    @Override
    public Optional<KvEntry> entry(String key) {
        return slot(key).map(Slot::entry);
    }

    @Override
    public String toString() {
        return "KvStore[" + name + ", " + keys.size() + " keys]";
    }
}
