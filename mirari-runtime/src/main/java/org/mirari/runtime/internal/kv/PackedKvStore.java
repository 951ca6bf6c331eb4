package org.mirari.runtime.internal.kv;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.mirari.runtime.kv.KvEntry;
import org.mirari.runtime.kv.KvStore;

/**
 * A {@link KvStore} over a pack file mapped read-only as one {@link MemorySegment}, so packs
 * larger than 2 GiB work and values never pass through the heap: {@link #read} hands out
 * slices of the mapping. The file also stays open ({@link #file()}), so that a server can have
 * the kernel send a value's bytes from the page cache ({@code sendfile}) instead of copying them
 * from the mapping. The mapping and the file live as long as the store is reachable.
 */
public final class PackedKvStore implements KvStore {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /**
     * One value: where it lives in the mapping, plus its metadata, plus a slot for the HTTP
     * layer to keep the response it derives from them (so serving a hot file allocates little).
     */
    public static final class Slot {
        private final KvEntry entry;
        private final long offset;
        private volatile Object derived;

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

    /** Closes the pack file of a store that is no longer reachable. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final String name;
    private final MemorySegment data;
    private final FileChannel file;
    private final Map<String, Slot> slots;
    private final List<String> keys;

    private PackedKvStore(
            String name, MemorySegment data, FileChannel file, Map<String, Slot> slots, List<String> keys) {
        this.name = name;
        this.data = data;
        this.file = file;
        this.slots = slots;
        this.keys = keys;
        CLEANER.register(this, new CloseFile(file));
    }

    /** The cleaning action: holds the channel only, never the store. */
    private record CloseFile(FileChannel file) implements Runnable {
        @Override
        public void run() {
            try {
                file.close();
            } catch (IOException ignored) {
                // a read-only file: nothing was left unwritten
            }
        }
    }

    /** Maps {@code file}; the store's name is the file name without {@code .kv}. */
    public static PackedKvStore open(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".kv") ? fileName.substring(0, fileName.length() - 3) : fileName;
        // The channel stays open with the mapping: the same file (the writer replaces a pack by
        // renaming a new one over it, so opening the path again later could find other bytes).
        var ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return open(file, name, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static PackedKvStore open(Path file, String name, FileChannel ch) throws IOException {
        long fileSize = ch.size();
        if (fileSize < PackFormat.HEADER_SIZE) {
            throw corrupt(file, "shorter than its header");
        }
        MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, Arena.ofAuto());
        byte[] magic = seg.asSlice(0, PackFormat.MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, PackFormat.MAGIC)) {
            throw corrupt(file, "not a KV pack (bad magic)");
        }
        int version = seg.get(INT, 8);
        if (version != PackFormat.VERSION) {
            throw corrupt(
                    file,
                    "pack version " + version + ", this runtime reads " + PackFormat.VERSION
                            + "; run mirari configure again");
        }
        int count = seg.get(INT, 12);
        long indexOffset = seg.get(LONG, 16);
        long indexLength = seg.get(LONG, 24);
        long total = seg.byteSize();
        if (count < 0
                || indexOffset < PackFormat.HEADER_SIZE
                || indexLength < 0
                || indexOffset > total
                || indexLength != total - indexOffset) {
            throw corrupt(file, "index out of bounds");
        }
        var slots = new HashMap<String, Slot>(Math.max(16, count * 2));
        var keys = new ArrayList<String>(count);
        var hex = HexFormat.of();
        long p = indexOffset;
        try {
            for (int i = 0; i < count; i++) {
                int keyLen = Short.toUnsignedInt(seg.get(SHORT, p));
                p += 2;
                String key = new String(seg.asSlice(p, keyLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                p += keyLen;
                int typeLen = Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, p));
                p += 1;
                String type =
                        new String(seg.asSlice(p, typeLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
                p += typeLen;
                long offset = seg.get(LONG, p);
                long size = seg.get(LONG, p + 8);
                p += 16;
                String etag = hex.formatHex(seg.asSlice(p, PackFormat.HASH_SIZE).toArray(ValueLayout.JAVA_BYTE));
                p += PackFormat.HASH_SIZE;
                if (offset < PackFormat.HEADER_SIZE || size < 0 || offset + size > indexOffset) {
                    throw corrupt(file, "value of " + key + " out of bounds");
                }
                if (slots.put(key, new Slot(new KvEntry(key, size, etag, type), offset)) != null) {
                    throw corrupt(file, "duplicate key " + key);
                }
                keys.add(key);
            }
        } catch (IndexOutOfBoundsException e) {
            throw corrupt(file, "truncated index");
        }
        keys.sort(null);
        return new PackedKvStore(name, seg, ch, Map.copyOf(slots), List.copyOf(keys));
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException(file + ": " + why);
    }

    /** The slot of a key, normalised first; empty when absent or unusable. */
    public Optional<Slot> slot(String key) {
        Slot direct = key == null ? null : slots.get(key);
        if (direct != null) {
            return Optional.of(direct);
        }
        return Keys.normalize(key).map(slots::get);
    }

    private Slot require(String key) {
        return slot(key).orElseThrow(() -> new NoSuchElementException("no key " + key + " in KV store " + name));
    }

    /**
     * The pack file, open for reading as long as the store is reachable: a value's bytes are at
     * {@link Slot#offset()} in it. For {@link FileChannel#transferTo}, which positions each
     * call itself, so threads may share it; never close it.
     */
    public FileChannel file() {
        return file;
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
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        Slot s = require(key);
        long size = s.entry().size();
        if (offset >= size || length == 0) {
            return EMPTY;
        }
        long n = Math.min(Math.min(length, size - offset), KvStore.MAX_READ);
        return data.asSlice(s.offset() + offset, n).asByteBuffer().asReadOnlyBuffer();
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
