package org.mirari.runtime.internal.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.mirari.runtime.kv.KvEntry;
import org.mirari.runtime.kv.KvStore;

/**
 * Packs an {@code fs-<name>} directory into the single file that {@link KvStore#open(Path)} maps
 * at run time. Called by {@code mirari configure}: build-time code, so it sits beside the pack
 * format it writes and out of the app-facing {@code kv} API (apps only read stores).
 *
 * <p>Every regular file under the directory (symbolic links followed) becomes one value whose
 * key is its path relative to the directory with {@code /} separators. The output depends only
 * on the files' names and contents (no timestamps, sorted keys), so packing the same tree twice
 * gives identical bytes. Files are streamed through a small buffer, never held whole on the heap.
 */
public final class KvPackWriter {
    private static final int BUFFER = 1 << 16;

    private KvPackWriter() {}

    /**
     * Packs {@code dir} into {@code out} (written to a temporary file beside it, then moved into
     * place, so a failure leaves an earlier pack untouched).
     *
     * @return the packed entries, sorted by key
     * @throws IOException when {@code dir} is not a readable directory, a file name cannot be a
     *                     key (a backslash in it, say), or writing fails; the message names the path
     */
    public static List<KvEntry> pack(Path dir, Path out) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir + ": not a directory");
        }
        return writeAtomically(collect(dir), out);
    }

    private static List<KvEntry> writeAtomically(List<Source> sources, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".tmp");
        // An interrupted packer (Ctrl-C ends the JVM without finally blocks) leaves no partial pack behind.
        tmp.toFile().deleteOnExit();
        try {
            List<KvEntry> entries = write(sources, tmp);
            try {
                // createTempFile makes it private; a pack is build output that images copy around
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults will do
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return entries;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Packs exactly {@code files} (key to the file to read), already listed and checked by the
     * caller (the tool's {@code StoreTree}, which decides what a tree may contain), into
     * {@code out}, written the same way as {@link #pack(Path, Path)}.
     *
     * @throws IOException when a key is not a valid KV key, or reading or writing fails
     */
    public static List<KvEntry> pack(java.util.SortedMap<String, Path> files, Path out) throws IOException {
        var sources = new ArrayList<Source>(files.size());
        for (var e : files.entrySet()) {
            String k = e.getKey();
            if (!Keys.normalize(k).map(k::equals).orElse(false)) {
                throw new IOException(e.getValue() + ": \"" + k + "\" cannot be a KV key; rename the file");
            }
            if (k.getBytes(StandardCharsets.UTF_8).length > PackFormat.MAX_KEY_BYTES) {
                throw new IOException(
                        e.getValue() + ": path longer than " + PackFormat.MAX_KEY_BYTES + " bytes; shorten it");
            }
            sources.add(new Source(k, e.getValue()));
        }
        return writeAtomically(sources, out);
    }

    private record Source(String key, Path file) {}

    private static List<Source> collect(Path dir) throws IOException {
        var sources = new ArrayList<Source>();
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    sources.add(new Source(keyOf(dir, file), file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        sources.sort(Comparator.comparing(Source::key));
        return sources;
    }

    private static String keyOf(Path dir, Path file) throws IOException {
        var rel = dir.relativize(file);
        var key = new StringBuilder();
        for (Path part : rel) {
            if (!key.isEmpty()) {
                key.append('/');
            }
            key.append(part);
        }
        String k = key.toString();
        if (!Keys.normalize(k).map(k::equals).orElse(false)) {
            throw new IOException(file + ": this file name cannot be a KV key (no backslash or NUL); rename it");
        }
        if (k.getBytes(StandardCharsets.UTF_8).length > PackFormat.MAX_KEY_BYTES) {
            throw new IOException(file + ": path longer than " + PackFormat.MAX_KEY_BYTES + " bytes; shorten it");
        }
        return k;
    }

    private static List<KvEntry> write(List<Source> sources, Path tmp) throws IOException {
        var entries = new ArrayList<KvEntry>(sources.size());
        var index = new ByteArrayOutputStream();
        var idx = new DataOutputStream(index);
        var hex = HexFormat.of();
        try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.position(PackFormat.HEADER_SIZE);
            var buf = ByteBuffer.allocate(BUFFER);
            for (Source s : sources) {
                long offset = ch.position();
                MessageDigest sha = sha256();
                long size = 0;
                try (InputStream in = Files.newInputStream(s.file())) {
                    int n;
                    while ((n = in.read(buf.array(), 0, BUFFER)) > 0) {
                        sha.update(buf.array(), 0, n);
                        buf.clear().limit(n);
                        while (buf.hasRemaining()) {
                            ch.write(buf);
                        }
                        size += n;
                        buf.clear();
                    }
                }
                byte[] hash = sha.digest();
                String type = ContentTypes.of(s.key());
                byte[] key = s.key().getBytes(StandardCharsets.UTF_8);
                byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
                idx.writeShort(key.length);
                idx.write(key);
                idx.writeByte(typeBytes.length);
                idx.write(typeBytes);
                idx.writeLong(offset);
                idx.writeLong(size);
                idx.write(hash);
                entries.add(new KvEntry(s.key(), size, hex.formatHex(hash), type));
            }
            long indexOffset = ch.position();
            idx.flush();
            ch.write(ByteBuffer.wrap(index.toByteArray()));
            var header = ByteBuffer.allocate(PackFormat.HEADER_SIZE)
                    .put(PackFormat.MAGIC)
                    .putInt(PackFormat.VERSION)
                    .putInt(sources.size())
                    .putLong(indexOffset)
                    .putLong(index.size())
                    .flip();
            ch.write(header, 0);
            ch.force(true);
        }
        return List.copyOf(entries);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
