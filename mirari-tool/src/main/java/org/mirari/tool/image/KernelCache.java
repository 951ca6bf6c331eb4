package org.mirari.tool.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.HostTool;
import org.mirari.tool.hosttool.HostTools;
import org.mirari.tool.scratch.Scratch;

/**
 * Finds the guest kernel: the {@code vm-kernel} key (a {@code .deb}, a directory holding an
 * unpacked kernel package, or a bare kernel file), or by default Debian's
 * {@code linux-image-cloud-amd64}, downloaded once with {@code apt-get download}.
 *
 * <p>The cache is content-addressed: {@code <cache>/kernels/<sha256 of the source>-5/} holds
 * {@code vmlinuz}, {@code vmlinux} (the PVH ELF, when extractable), {@code modules/*.ko} (the
 * network drivers and the optional ones) and {@code modules.order} (the network drivers'). {@code <cache>/kernels/by-package/<package>_<version>} names the hash a
 * Debian package version unpacked to, so a cached kernel is used without asking the network. An
 * entry appears atomically (built in a temporary directory, then renamed), so an interrupted
 * fetch never leaves a half kernel behind.
 */
public final class KernelCache {
    /** Debian's metapackage that always depends on the current cloud kernel. */
    public static final String DEFAULT_PACKAGE = "linux-image-cloud-amd64";

    private final Path root;
    private final HostTools tools;
    private final EventSink events;

    /** A cache that finds {@code apt-cache} and {@code apt-get} on {@link HostTools#DEFAULT_PATH}. */
    public KernelCache(Path cacheDir, EventSink events) {
        this(cacheDir, HostTools.onPath(null), events);
    }

    public KernelCache(Path cacheDir, HostTools tools, EventSink events) {
        this.root = cacheDir.resolve("kernels");
        this.tools = tools;
        this.events = events;
    }

    /** The kernel named by {@code vmKernel} (may be empty: the default package). */
    public Kernel kernel(Optional<Path> vmKernel) {
        try {
            if (vmKernel.isPresent()) return fromKey(vmKernel.get());
            return fromDebian();
        } catch (IOException e) {
            if (EnvironmentException.diskFull(e)) throw EnvironmentException.cacheFull(root, e);
            throw new BackendException(
                    "cannot prepare the guest kernel: " + e.getMessage() + "; set vm-kernel to a kernel file or a "
                            + DEFAULT_PACKAGE + " .deb",
                    e);
        }
    }

    private Kernel fromKey(Path source) throws IOException {
        if (!Files.exists(source)) {
            throw new BackendException(
                    "vm-kernel " + source + " does not exist; give a kernel file (bzImage or PVH ELF), "
                            + "a kernel .deb, or a directory with boot/vmlinuz-* and lib/modules/");
        }
        if (Files.isDirectory(source)) {
            return fill(hashTree(source), source.toString(), tmp -> copyTree(source, tmp));
        }
        String hash = sha256(source);
        if (source.getFileName().toString().endsWith(".deb")) {
            return fill(hash, source.toString(), tmp -> unpackDeb(source, tmp));
        }
        return fill(hash, source.toString(), tmp -> {
            Files.createDirectories(tmp.resolve("boot"));
            Files.copy(source, tmp.resolve("boot/vmlinuz-custom"));
        });
    }

    private Kernel fromDebian() throws IOException {
        Path byPackage = root.resolve("by-package");
        var aptCache = tools.find(HostTool.APT_CACHE);
        if (aptCache.isEmpty()) {
            return cachedOr(
                    byPackage,
                    "apt-cache is not on PATH (" + tools.path() + "; not a Debian system?)",
                    "no guest kernel: apt-cache (Debian package apt) is not on PATH (" + tools.path()
                            + "), so the default kernel, Debian's " + DEFAULT_PACKAGE + ", cannot be fetched, and"
                            + " none is cached; set vm-kernel to a kernel file (bzImage or PVH ELF), a kernel .deb,"
                            + " or a directory with boot/vmlinuz-* and lib/modules/");
        }
        var depends = Exec.run(null, List.of(aptCache.get().toString(), "depends", DEFAULT_PACKAGE));
        String pkg = depends.ok()
                ? depends.output()
                        .lines()
                        .map(String::strip)
                        .filter(l -> l.startsWith("Depends: linux-image-"))
                        .map(l -> l.substring("Depends: ".length()))
                        .findFirst()
                        .orElse(null)
                : null;
        String version = null;
        long size = -1; // the .deb's bytes, for the download's bar
        if (pkg != null) {
            var show = Exec.run(null, List.of(aptCache.get().toString(), "show", "--no-all-versions", pkg));
            version = field(show.output(), "Version").orElse(null);
            size = field(show.output(), "Size")
                    .filter(v -> v.matches("[0-9]{1,18}"))
                    .map(Long::parseLong)
                    .orElse(-1L);
        }
        if (pkg == null || version == null) {
            // apt lists missing (a fresh container): any kernel fetched earlier still works.
            return cachedOr(
                    byPackage,
                    "apt-cache cannot name " + DEFAULT_PACKAGE + "'s kernel here",
                    "no guest kernel: apt-cache does not know " + DEFAULT_PACKAGE + " here (" + depends.lastLine()
                            + ": its package lists are missing or lack it) and none is cached; run apt-get update"
                            + " (as root), or set vm-kernel to a kernel file (bzImage or PVH ELF) or a "
                            + DEFAULT_PACKAGE + " .deb");
        }
        Path pointer = byPackage.resolve(pkg + "_" + version.replace(':', '%'));
        var cached = cachedVia(pointer);
        if (cached.isPresent()) return cached.get();
        var aptGet = tools.find(HostTool.APT_GET);
        String why;
        if (aptGet.isEmpty()) {
            why = "apt-get is not on PATH (" + tools.path() + ")";
        } else {
            events.emit(new Event.Info("kernel: downloading " + pkg + " " + version
                    + " with apt-get download (once; cached in " + root + ")"));
            // In the cache, not /tmp: a machine may lack a writable /tmp, and the cache was checked writable.
            Scratch.sweep(root);
            Path dl = Scratch.directory(root, "download");
            try {
                Exec got;
                try (var watch = DownloadWatch.start(dl, size, events, "image", "kernel " + pkg + " " + version)) {
                    got = Exec.run(dl, List.of(aptGet.get().toString(), "download", pkg + "=" + version));
                }
                Path deb;
                try (Stream<Path> s = Files.list(dl)) {
                    deb = s.filter(p -> p.toString().endsWith(".deb"))
                            .findFirst()
                            .orElse(null);
                }
                if (got.ok() && deb != null) {
                    String hash = sha256(deb);
                    Kernel k = fill(hash, pkg + " " + version, tmp -> unpackDeb(deb, tmp));
                    Files.createDirectories(byPackage);
                    Files.writeString(pointer, hash + "\n");
                    return k;
                }
                why = "apt-get download " + pkg + "=" + version + " failed: " + got.lastLine();
            } finally {
                Scratch.remove(dl);
            }
        }
        // No network (or no apt-get): a kernel fetched earlier still boots the app.
        return cachedOr(
                byPackage,
                why,
                "cannot fetch the guest kernel " + pkg + " " + version + ": " + why + "; check the network (and"
                        + " apt's proxy), run apt-get update (as root) if the version is gone, or set vm-kernel to a"
                        + " kernel file (bzImage or PVH ELF) or a " + DEFAULT_PACKAGE + " .deb");
    }

    /** The value of {@code name: value} in apt-cache's record, if there. */
    private static Optional<String> field(String record, String name) {
        return record.lines()
                .filter(l -> l.startsWith(name + ": "))
                .map(l -> l.substring(name.length() + 2).strip())
                .findFirst();
    }

    /** The newest kernel cached earlier, with a warning saying why it is used; else a failure with {@code failure}. */
    private Kernel cachedOr(Path byPackage, String why, String failure) throws IOException {
        Optional<Kernel> newest = newestCached(byPackage);
        if (newest.isPresent()) {
            events.emit(new Event.Warning(
                    why + "; using the kernel cached earlier (" + newest.get().release() + ")"));
            return newest.get();
        }
        throw new BackendException(failure);
    }

    private Optional<Kernel> newestCached(Path byPackage) throws IOException {
        if (!Files.isDirectory(byPackage)) return Optional.empty();
        List<Path> pointers;
        try (Stream<Path> s = Files.list(byPackage)) {
            pointers = s.sorted(Comparator.comparing((Path p) -> {
                                try {
                                    return Files.getLastModifiedTime(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                            .reversed())
                    .toList();
        }
        for (Path p : pointers) {
            var k = cachedVia(p);
            if (k.isPresent()) return k;
        }
        return Optional.empty();
    }

    private Optional<Kernel> cachedVia(Path pointer) throws IOException {
        if (!Files.isRegularFile(pointer)) return Optional.empty();
        Path dir = entry(Files.readString(pointer).strip());
        return Files.isRegularFile(dir.resolve("complete")) ? Optional.of(load(dir)) : Optional.empty();
    }

    @FunctionalInterface
    private interface Unpack {
        void into(Path dir) throws IOException;
    }

    /** Returns the cache entry {@code hash}, creating it from {@code unpack}'s tree when missing. */
    private Kernel fill(String hash, String description, Unpack unpack) throws IOException {
        Path dir = entry(hash);
        if (Files.isRegularFile(dir.resolve("complete"))) return load(dir);
        Scratch.sweep(root);
        Path tree = Scratch.directory(root, "unpack");
        Path entry = Scratch.directory(root, "entry");
        try {
            unpack.into(tree);
            Path bz = findKernel(tree, description);
            Files.copy(bz, entry.resolve("vmlinuz"));
            var elf = PvhKernel.extract(Files.readAllBytes(bz));
            if (elf.isPresent()) Files.write(entry.resolve("vmlinux"), elf.get());
            var index = KernelModules.index(tree.resolve("lib/modules"));
            var order = new ArrayList<String>();
            Files.createDirectories(entry.resolve("modules"));
            if (!index.isEmpty()) {
                var wanted = KernelModules.NETWORK.stream()
                        .filter(m -> index.containsKey(KernelModules.normalise(m)))
                        .toList();
                for (Path ko : KernelModules.loadOrder(wanted, index)) {
                    Files.copy(ko, entry.resolve("modules").resolve(ko.getFileName()));
                    order.add(ko.getFileName().toString());
                }
                var optional = KernelModules.OPTIONAL.stream()
                        .filter(m -> index.containsKey(KernelModules.normalise(m)))
                        .toList();
                for (Path ko : KernelModules.loadOrder(optional, index)) {
                    Path to = entry.resolve("modules").resolve(ko.getFileName());
                    if (!Files.exists(to)) Files.copy(ko, to);
                }
            }
            Files.write(entry.resolve("modules.order"), order);
            Files.writeString(entry.resolve("release"), release(tree, description) + "\n");
            Files.writeString(entry.resolve("complete"), "");
            try {
                Files.move(entry, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another build filled it meanwhile; theirs is as good as ours.
            } catch (IOException e) {
                if (!Files.isRegularFile(dir.resolve("complete"))) throw e;
            }
            return load(dir);
        } finally {
            Scratch.remove(tree);
            Scratch.remove(entry);
        }
    }

    /**
     * The entry of a source's hash. {@code -6}: entries that also keep the optional drivers
     * ({@link KernelModules#OPTIONAL}: loop and squashfs since {@code -3}, qemu_fw_cfg since
     * {@code -5}, the block drivers since {@code -6}); earlier entries stay for older tools, and are
     * filled again once here.
     */
    private Path entry(String hash) {
        return root.resolve(hash + "-6");
    }

    private static Kernel load(Path dir) throws IOException {
        var modules = new ArrayList<Path>();
        for (String line : Files.readAllLines(dir.resolve("modules.order"))) {
            if (!line.isBlank()) modules.add(dir.resolve("modules").resolve(line.strip()));
        }
        Path elf = dir.resolve("vmlinux");
        var optional = new java.util.TreeMap<>(KernelModules.index(dir.resolve("modules")));
        return new Kernel(
                dir.resolve("vmlinuz"),
                Files.isRegularFile(elf) ? Optional.of(elf) : Optional.empty(),
                modules,
                optional,
                Files.readString(dir.resolve("release")).strip());
    }

    private static void unpackDeb(Path deb, Path tree) throws IOException {
        Deb.extract(
                deb, p -> p.startsWith("boot/vmlinuz-") || (p.startsWith("lib/modules/") && p.endsWith(".ko")), tree);
    }

    private static Path findKernel(Path tree, String description) throws IOException {
        Path boot = tree.resolve("boot");
        if (Files.isDirectory(boot)) {
            try (Stream<Path> s = Files.list(boot)) {
                var k = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz")
                                || p.getFileName().toString().startsWith("vmlinux"))
                        .sorted()
                        .findFirst();
                if (k.isPresent()) return k.get();
            }
        }
        throw new IOException(description + " holds no boot/vmlinuz-*");
    }

    private static String release(Path tree, String description) throws IOException {
        Path mods = tree.resolve("lib/modules");
        if (Files.isDirectory(mods)) {
            try (Stream<Path> s = Files.list(mods)) {
                var r = s.map(p -> p.getFileName().toString()).sorted().findFirst();
                if (r.isPresent()) return r.get();
            }
        }
        return description;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else if (Files.isRegularFile(p)) Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static String sha256(Path file) throws IOException {
        var md = digest();
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A hash over the kernel and modules of an unpacked tree (paths and contents). */
    private static String hashTree(Path dir) throws IOException {
        var md = digest();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.startsWith("boot/vmlinu") && !rel.endsWith(".ko")) continue;
                md.update(rel.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(HexFormat.of().parseHex(sha256(p)));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
