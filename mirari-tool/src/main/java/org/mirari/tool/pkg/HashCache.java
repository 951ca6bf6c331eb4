package org.mirari.tool.pkg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers the SHA-256 of files by path, size and modification time (nanoseconds), so that an
 * up-to-date check hashes only the files that were touched, as git's index does. A file whose
 * size or time changed is hashed again; the fingerprint itself is always over content hashes.
 * One line per file: {@code size mtime-nanos sha256 path}.
 */
public final class HashCache {
    private record Entry(long size, long mtime, String sha256) {}

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();
    private boolean changed;

    private HashCache(Path file) {
        this.file = file;
    }

    /** The cache stored in {@code file} (empty when it is missing or unreadable). */
    public static HashCache load(Path file) {
        var cache = new HashCache(file);
        try {
            if (Files.isRegularFile(file)) {
                for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    var parts = line.split(" ", 4);
                    if (parts.length == 4) {
                        cache.entries.put(
                                parts[3], new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            cache.entries.clear();
        }
        return cache;
    }

    /** A cache that remembers nothing (every call hashes). */
    public static HashCache none() {
        return new HashCache(null);
    }

    /** The file's SHA-256, from the cache when its size and time are unchanged. */
    public String sha256(Path path) throws IOException {
        var key = path.toAbsolutePath().normalize().toString();
        var attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        var known = entries.get(key);
        if (known != null && known.size() == size && known.mtime() == mtime) return known.sha256();
        var sha = Fingerprint.sha256(path);
        entries.put(key, new Entry(size, mtime, sha));
        changed = true;
        return sha;
    }

    /** Writes the cache back if anything was hashed (atomically; failures only cost a re-hash later). */
    public void save() {
        if (file == null || !changed) return;
        try {
            var lines = new ArrayList<String>();
            entries.forEach((k, e) -> lines.add(e.size() + " " + e.mtime() + " " + e.sha256() + " " + k));
            Files.createDirectories(file.getParent());
            var tmp = file.resolveSibling(file.getFileName() + ".tmp");
            tmp.toFile().deleteOnExit(); // also when interrupted
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed = false;
        } catch (IOException e) {
            // The cache is an optimisation.
        }
    }
}
