package org.mirari.tool.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.mirari.tool.scratch.Scratch;

/**
 * The snapshot cache, {@code <cache>/snapshots/<key>/}: {@code state.zst} (QEMU's migration stream,
 * zstd -1), {@code ram} and {@code devices} (the same VM as a raw memory file and its device state,
 * made from the stream: what a fast restore maps), {@code key.txt} (what the key was made of) and {@code generation} (how many copies were
 * restored, under a file lock so that copies started at once get different numbers). Private to
 * this user (0700 directories, 0600 files): a snapshot holds the guest's whole memory, secrets
 * included. An entry is written in a temporary directory and renamed into place whole, so a
 * reader never sees half of one; the least recently used entries go when the cache grows over its cap.
 */
public final class SnapshotStore {
    public static final String STATE = "state.zst";
    /**
     * The guest's memory as a raw, sparse file, and the device state that goes with it (QEMU's
     * migration with {@code x-ignore-shared}): made from {@link #STATE} once, so a cache of it.
     */
    public static final String RAM = "ram", DEVICES = "devices";
    /** The RAM file's size and modification time when it was made: a RAM file changed since is not used. */
    static final String RAM_CHECK = "ram.check";

    static final String NEW = ".new";
    static final String KEY = "key.txt";
    static final String GENERATION = "generation";
    /** A snapshot holds the guest's memory (its keys, its data): only the user who made it may read it. */
    private static final Set<PosixFilePermission>
            OWNER_ONLY_FILE = Set.copyOf(PosixFilePermissions.fromString("rw-------")),
            OWNER_ONLY_DIR = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    /**
     * The default cap on the cache's size: about 12 snapshots of hello (a 34 MB stream and its RAM
     * file of the guest's 128 MiB, counted at its full size though it is sparse).
     */
    public static final long DEFAULT_CAP_BYTES = 2L << 30;

    private final Path root;

    public SnapshotStore(Path root) {
        this.root = root;
    }

    /** {@code <cache>/snapshots}. */
    public static Path root(Path cacheDir) {
        return cacheDir.resolve("snapshots");
    }

    public Path root() {
        return root;
    }

    public Path entry(SnapshotKey key) {
        return root.resolve(key.hex());
    }

    public Path state(SnapshotKey key) {
        return entry(key).resolve(STATE);
    }

    /**
     * The RAM file and device state of {@code key}'s snapshot, for a restore that maps the file
     * copy-on-write (no stream to load), or empty when there are none. Files that changed since they
     * were made (size or modification time) are removed: a restore then loads the stream, and the
     * next recording makes them again.
     */
    public Optional<RamFiles> ram(SnapshotKey key) throws IOException {
        Path dir = entry(key);
        Path ram = dir.resolve(RAM), devices = dir.resolve(DEVICES), check = dir.resolve(RAM_CHECK);
        if (!Files.isRegularFile(ram) || !Files.isRegularFile(devices) || !Files.isRegularFile(check))
            return Optional.empty();
        String expected = Files.readString(check, StandardCharsets.US_ASCII).strip();
        if (expected.equals(ramId(ram))) return Optional.of(new RamFiles(ram, devices));
        for (Path f : List.of(ram, devices, check)) Files.deleteIfExists(f);
        return Optional.empty();
    }

    /** A snapshot's RAM file and the device state that goes with it. */
    public record RamFiles(Path ram, Path devices) {}

    /**
     * Empty, private files ({@code ram.new}, {@code devices.new}) in {@code key}'s entry for QEMU to
     * fill (QEMU would make the RAM file world-readable); what an earlier attempt left is replaced.
     */
    public RamFiles newRam(SnapshotKey key) throws IOException {
        Path dir = entry(key);
        var files = new RamFiles(dir.resolve(RAM + NEW), dir.resolve(DEVICES + NEW));
        for (Path f : List.of(files.ram(), files.devices())) {
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        }
        return files;
    }

    /** Puts the filled {@link #newRam} files in place for {@code key}. */
    public RamFiles commitRam(SnapshotKey key, RamFiles made) throws IOException {
        Path dir = entry(key);
        var files = new RamFiles(dir.resolve(RAM), dir.resolve(DEVICES));
        Files.move(
                made.devices(), files.devices(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(made.ram(), files.ram(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path tmp = dir.resolve(RAM_CHECK + NEW);
        Files.writeString(tmp, ramId(files.ram()) + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(tmp, OWNER_ONLY_FILE);
        Files.move(tmp, dir.resolve(RAM_CHECK), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return files;
    }

    /** Removes what {@link #newRam} made (a conversion that failed). */
    public void discardRam(RamFiles made) throws IOException {
        Files.deleteIfExists(made.ram());
        Files.deleteIfExists(made.devices());
    }

    /** What identifies one version of the RAM file: its size and modification time to the nanosecond. */
    private static String ramId(Path ram) throws IOException {
        var attrs = Files.readAttributes(ram, BasicFileAttributes.class);
        return attrs.size() + " " + attrs.lastModifiedTime().toInstant();
    }

    /** Whether a whole snapshot is there for {@code key}. */
    public boolean has(SnapshotKey key) {
        return Files.isRegularFile(state(key)) && Files.isRegularFile(entry(key).resolve(KEY));
    }

    /** A new private directory to save into, inside the cache (so the rename into place is atomic). */
    public Path newTemporary() throws IOException {
        privateDir(root);
        // A save cut short by SIGKILL leaves tens of MB of guest memory: the next save removes it.
        Scratch.sweep(root);
        Path dir = Scratch.directory(root, "new");
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        return dir;
    }

    /** Puts a saved {@code temporary} (holding {@link #STATE}) in place for {@code key}, replacing an older one. */
    public void commit(Path temporary, SnapshotKey key) throws IOException {
        Files.writeString(temporary.resolve(KEY), key.described(), StandardCharsets.UTF_8);
        Files.writeString(temporary.resolve(GENERATION), "0\n", StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(temporary)) {
            for (Path f : files.toList()) Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
        }
        Path target = entry(key);
        for (int tries = 0; ; tries++) {
            // A refresh, or another run that recorded the same key: the newer one wins.
            if (Files.exists(target)) deleteTree(target);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                Scratch.keep(temporary);
                return;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + temporary + " into " + target + ": " + e.getMessage(), e);
            } catch (FileSystemException e) {
                if (tries > 2 || !Files.exists(target)) throw e;
            }
        }
    }

    /**
     * The next copy's generation number (1, 2, ...), counted in the entry under a lock: copies
     * restored at the same moment each get their own. Also marks the entry as used (for eviction).
     */
    public long nextGeneration(SnapshotKey key) throws IOException {
        // The file lock orders processes; within one JVM its threads must also take turns
        // (a second lock of the same file there is an OverlappingFileLockException).
        synchronized (SnapshotStore.class) {
            return nextGenerationLocked(key);
        }
    }

    private long nextGenerationLocked(SnapshotKey key) throws IOException {
        Path file = entry(key).resolve(GENERATION);
        try (var ch = FileChannel.open(
                        file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                var lock = ch.lock()) {
            var buf = ByteBuffer.allocate(32);
            ch.read(buf, 0);
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
            long next = (text.matches("\\d{1,18}") ? Long.parseLong(text) : 0) + 1;
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            Files.setLastModifiedTime(entry(key), FileTime.fromMillis(System.currentTimeMillis()));
            return next;
        }
    }

    /** Removes {@code key}'s snapshot (one that failed to restore). */
    public void delete(SnapshotKey key) throws IOException {
        deleteTree(entry(key));
    }

    /** Total bytes of every entry. */
    public long size() throws IOException {
        long total = 0;
        for (Path e : entries()) total += treeSize(e);
        return total;
    }

    /**
     * Removes the least recently used entries (never {@code keep}) until the cache holds at most
     * {@code capBytes}; returns how many went. (What a run killed while saving left is swept by
     * the next save, {@link #newTemporary}.)
     */
    public int evict(long capBytes, SnapshotKey keep) throws IOException {
        if (!Files.isDirectory(root)) return 0;
        var entries = new ArrayList<>(entries());
        entries.sort(Comparator.comparingLong(SnapshotStore::lastUsed));
        long total = 0;
        for (Path e : entries) total += treeSize(e);
        int removed = 0;
        for (Path e : entries) {
            if (total <= capBytes) break;
            if (e.getFileName().toString().equals(keep.hex())) continue;
            long size = treeSize(e);
            deleteTree(e);
            total -= size;
            removed++;
        }
        return removed;
    }

    /** Removes the whole cache ({@code mirari clean --snapshots}); returns the bytes freed. */
    public long clean() throws IOException {
        if (!Files.exists(root)) return 0;
        long size = treeSize(root);
        deleteTree(root);
        return size;
    }

    private List<Path> entries() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> all = Files.list(root)) {
            return all.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
                    .toList();
        }
    }

    private static long lastUsed(Path entry) {
        try {
            return Files.getLastModifiedTime(entry).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The cache's directory, private to this user. */
    static void privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    }

    static long treeSize(Path p) throws IOException {
        if (!Files.exists(p)) return 0;
        try (Stream<Path> all = Files.walk(p)) {
            return all.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Content hashes of big files (QEMU, the kernel, the initrd), remembered by path, size, change
     * time and inode in {@code file-hashes.properties}: hashing 90 MB at every run would cost a
     * noticeable part of a restore.
     */
    public String fileHash(Path file) throws IOException {
        Path real = file.toRealPath();
        var attrs = Files.readAttributes(real, BasicFileAttributes.class);
        Object ctime = Files.getAttribute(real, "unix:ctime");
        String id = real + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis() + "|" + ctime + "|"
                + attrs.fileKey();
        Path memo = root.resolve("file-hashes.properties");
        var props = new Properties();
        if (Files.isRegularFile(memo)) {
            try (var in = Files.newInputStream(memo)) {
                props.load(in);
            } catch (IllegalArgumentException e) {
                props.clear(); // a damaged memo is only a slower run
            }
        }
        String known = props.getProperty(id);
        if (known != null && known.matches("[0-9a-f]{64}")) return known;
        String hash = SnapshotKey.fileHash(real);
        if (props.size() > 256) props.clear(); // old builds' files: bounded, and hashed again if still used
        props.setProperty(id, hash);
        privateDir(root);
        Path tmp = Files.createTempFile(root, ".hashes-", ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            props.store(out, "content hashes of files in snapshot keys");
        }
        Files.move(tmp, memo, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return hash;
    }
}
