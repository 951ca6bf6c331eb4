package org.mirari.tool.image;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The contents of an initramfs and its reproducible writer (cpio "newc", the format the kernel
 * unpacks, see the kernel's Documentation/driver-api/early-userspace/buffer-format.rst).
 *
 * <p>Reproducible by construction: entries are written sorted by path (parents before children),
 * with one fixed mtime, uid and gid 0, inode numbers assigned in that order, and link count 1 for
 * files so the kernel never treats two entries as hard links. Parent directories are added
 * automatically with mode 0755.
 */
public final class Initramfs {
    private final TreeMap<String, InitramfsEntry> entries = new TreeMap<>();

    public Initramfs add(InitramfsEntry entry) {
        String path = entry.path();
        var previous = entries.get(path);
        if (previous != null
                && !(previous instanceof InitramfsEntry.Directory && entry instanceof InitramfsEntry.Directory)) {
            throw new IllegalArgumentException("two initramfs entries at " + path);
        }
        entries.put(path, entry);
        for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
            entries.putIfAbsent(path.substring(0, i), new InitramfsEntry.Directory(path.substring(0, i), 0755));
        }
        return this;
    }

    public Initramfs addFile(String path, int permissions, Path source) {
        return add(InitramfsEntry.RegularFile.of(path, permissions, source));
    }

    public Initramfs addFile(String path, int permissions, byte[] data) {
        return add(InitramfsEntry.RegularFile.of(path, permissions, data));
    }

    public Initramfs addText(String path, int permissions, String text) {
        return addFile(path, permissions, text.getBytes(StandardCharsets.UTF_8));
    }

    public Initramfs addSymlink(String path, String target) {
        return add(new InitramfsEntry.Symlink(path, target));
    }

    /**
     * Adds a host directory tree under {@code guestDir}, keeping executable bits and symbolic
     * links (but not owners or times, which the writer fixes).
     */
    public Initramfs addTree(String guestDir, Path hostDir) {
        add(new InitramfsEntry.Directory(guestDir, 0755));
        try (Stream<Path> walk = Files.walk(hostDir)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(hostDir)) continue;
                String rel = hostDir.relativize(p).toString().replace('\\', '/');
                String guest = guestDir + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    addSymlink(guest, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    add(new InitramfsEntry.Directory(guest, 0755));
                } else {
                    addFile(guest, Files.isExecutable(p) ? 0755 : 0644, p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Removes the entry at {@code path}, if any (not its children). */
    public Initramfs remove(String path) {
        entries.remove(path);
        return this;
    }

    /**
     * Moves the entries under {@code guestDir} (not the directory itself) out of the archive into
     * the host directory {@code hostDir}, with their permissions, for a file system image of that
     * subtree. Owners and times are left to the image's writer.
     */
    public Initramfs moveOut(String guestDir, Path hostDir) throws IOException {
        String prefix = guestDir + "/";
        for (var e : under(guestDir)) {
            Path to = hostDir.resolve(e.path().substring(prefix.length()));
            switch (e) {
                case InitramfsEntry.Directory d -> Files.createDirectories(to);
                case InitramfsEntry.Symlink s -> {
                    Files.createDirectories(to.getParent());
                    Files.createSymbolicLink(to, Path.of(s.target()));
                }
                case InitramfsEntry.RegularFile f -> {
                    Files.createDirectories(to.getParent());
                    if (f.data() != null) Files.write(to, f.data());
                    else Files.copy(f.source(), to);
                }
                case InitramfsEntry.CharDevice c ->
                    throw new IOException("a device node cannot go into a file system image: " + c.path());
            }
            if (!(e instanceof InitramfsEntry.Symlink)) Files.setPosixFilePermissions(to, permissions(e.permissions()));
            entries.remove(e.path());
        }
        return this;
    }

    /** Removes the entries under {@code guestDir} (not the directory itself). */
    public Initramfs removeUnder(String guestDir) {
        for (var e : under(guestDir)) entries.remove(e.path());
        return this;
    }

    private List<InitramfsEntry> under(String guestDir) {
        String prefix = guestDir + "/";
        var found = new ArrayList<InitramfsEntry>();
        for (var e : entries.tailMap(prefix).values()) {
            if (!e.path().startsWith(prefix)) break;
            found.add(e);
        }
        return found;
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        var s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-')
                    .append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return java.nio.file.attribute.PosixFilePermissions.fromString(s.toString());
    }

    public boolean contains(String path) {
        return entries.containsKey(path);
    }

    public Collection<InitramfsEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The bytes the unpacked archive occupies in the guest's memory (file contents, page-rounded). */
    public long unpackedBytes() {
        long total = 0;
        for (var e : entries.values()) {
            long size =
                    switch (e) {
                        case InitramfsEntry.RegularFile f -> size(f);
                        case InitramfsEntry.Symlink s -> s.target().length();
                        case InitramfsEntry.Directory d -> 0;
                        case InitramfsEntry.CharDevice c -> 0;
                    };
            total += (size + 4095) / 4096 * 4096;
        }
        return total;
    }

    /** Writes the archive uncompressed to {@code out}; {@code mtime} is seconds since the epoch. */
    public void writeCpio(OutputStream out, long mtime) throws IOException {
        writeCpio(out, mtime, p -> true);
    }

    /**
     * Writes the entries whose path {@code part} accepts as one archive. The kernel unpacks
     * concatenated archives, each compressed on its own, one after the other; inode numbers stay
     * those of the whole archive, so two parts never share one. A part must hold the parent
     * directories of its entries (or come after the part that does).
     */
    public void writeCpio(OutputStream out, long mtime, java.util.function.Predicate<String> part) throws IOException {
        var cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW, 512, StandardCharsets.UTF_8.name());
        long inode = 0;
        for (var e : entries.values()) {
            inode++;
            if (!part.test(e.path())) continue;
            // The kernel wants paths relative to the root ("bin/java", not "/bin/java").
            String name = e.path().substring(1);
            var ce = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
            ce.setInode(inode);
            ce.setUID(0);
            ce.setGID(0);
            ce.setTime(mtime);
            ce.setDeviceMaj(0);
            ce.setDeviceMin(0);
            switch (e) {
                case InitramfsEntry.Directory d -> {
                    ce.setMode(CpioConstants.C_ISDIR | d.permissions());
                    ce.setNumberOfLinks(2);
                    ce.setSize(0);
                    cpio.putArchiveEntry(ce);
                }
                case InitramfsEntry.CharDevice c -> {
                    ce.setMode(CpioConstants.C_ISCHR | c.permissions());
                    ce.setNumberOfLinks(1);
                    ce.setSize(0);
                    ce.setRemoteDeviceMaj(c.major());
                    ce.setRemoteDeviceMin(c.minor());
                    cpio.putArchiveEntry(ce);
                }
                case InitramfsEntry.Symlink s -> {
                    byte[] target = s.target().getBytes(StandardCharsets.UTF_8);
                    ce.setMode(CpioConstants.C_ISLNK | 0777);
                    ce.setNumberOfLinks(1);
                    ce.setSize(target.length);
                    cpio.putArchiveEntry(ce);
                    cpio.write(target);
                }
                case InitramfsEntry.RegularFile f -> {
                    ce.setMode(CpioConstants.C_ISREG | f.permissions());
                    ce.setNumberOfLinks(1);
                    ce.setSize(size(f));
                    cpio.putArchiveEntry(ce);
                    if (f.data() != null) {
                        cpio.write(f.data());
                    } else {
                        Files.copy(f.source(), cpio);
                    }
                }
            }
            cpio.closeArchiveEntry();
        }
        cpio.finish();
        cpio.flush();
    }

    private static long size(InitramfsEntry.RegularFile f) {
        if (f.data() != null) return f.data().length;
        try {
            return Files.size(f.source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
