package org.mirari.tool.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.HostTools;
import org.mirari.tool.scratch.Scratch;

/**
 * Builds {@code mir-<name>.vmlinuz} and {@code mir-<name>.initrd} from a {@link VmImageSpec}.
 *
 * <p>Guest layout: {@code /init} (a busybox shell script, see {@code init.sh} beside this class),
 * {@code /bin/busybox}, {@code /jre} (the linked runtime), the host libraries both need at their
 * host paths, {@code /lib/modules/<release>/*.ko} with {@code /etc/mirari/modules} listing them in
 * load order (absent for {@code main-noip} apps), {@code /app/lib/*.jar}, {@code /app/kv/*.kv},
 * {@code /app/jvm.args}, the JVM's argument file, and {@code /app/app.aot}, the app's AOT cache
 * when it could be trained. {@code /jre} and {@code /app} are squashfs images that the init mounts
 * there (see {@link #IMAGES}): read-only disks beside the initrd ({@code mir-<name>.jre.sqfs},
 * {@code mir-<name>.app.sqfs}) when the spec asks for {@link VmImageSpec#disks}, else files in the
 * initramfs ({@code /mirari/jre.sqfs}, {@code /mirari/app.sqfs}). Outputs are written to temporary
 * files and renamed, so a failed build leaves the previous image intact.
 */
public final class VmImageBuilder {
    /**
     * The end of the guest's kernel command line: the kernel runs {@code /init} and hands it
     * everything after {@code --} (the boot-time parameters) as arguments. {@code rootfstype=ramfs}
     * unpacks the initramfs into ramfs rather than tmpfs, whose default limit of half the memory
     * would make a 176 MiB guest fail to unpack a 70 MB image ("Initramfs unpacking failed: write error").
     */
    public static final String INIT_ARGS = "rootfstype=ramfs rdinit=/init --";

    /** The guest's kernel-RNG reseed program, run by the init after a snapshot restore. */
    public static final String RESEED = "/bin/mirari-reseed";

    /**
     * The modules (in load order) that the init loads first to mount the squashfs images, when the
     * image has them: {@code squashfs} and the block drivers ({@code virtio_blk}, {@code xen-blkfront})
     * for disks, {@code loop} for files in the initramfs.
     */
    static final String IMAGES = "/etc/mirari/images";

    /**
     * Lists the modules (in load order) that show QEMU's fw_cfg files under
     * {@code /sys/firmware/qemu_fw_cfg}; the init loads them only when a boot-time parameter names a
     * file there (a run's TLS certificate and key under {@code --qemu}), so other boots pay nothing.
     */
    static final String FW_CFG = "/etc/mirari/fw_cfg";

    /**
     * The directories the init waits to see mounted, one a line ({@code /jre}, {@code /app}). Each
     * squashfs image names its own in {@link #MARK} at its root, so the init needs to know neither
     * the order in which the hypervisor attached the disks nor their device names.
     */
    static final String MOUNTS = "/etc/mirari/mounts";

    /**
     * The file systems the init mounts first, in one {@code mount -a -T} (one busybox process instead
     * of one a mount: under TCG each process costs about 45 ms of the boot).
     */
    static final String FSTAB = "/etc/mirari/fstab";

    static final String FSTAB_TEXT = """
            proc /proc proc nosuid,nodev,noexec 0 0
            sysfs /sys sysfs nosuid,nodev,noexec 0 0
            devtmpfs /dev devtmpfs nosuid 0 0
            tmpfs /tmp tmpfs nosuid,nodev 0 0
            tmpfs /run tmpfs nosuid,nodev 0 0
            """;

    /**
     * The read-only disks where QEMU puts them: {@code QemuBackend} attaches the runtime's disk first
     * and the app's second, so the guest sees them as {@code vda} and {@code vdb}, and the init mounts
     * both with one {@code mount -a -T}. The init checks each against its {@link #MARK} and falls back
     * to probing every block device (Xen's {@code xvd*}, another order) when they do not match.
     */
    static final String FSTAB_DISKS = "/etc/mirari/fstab.disks";

    static final String FSTAB_DISKS_TEXT = "/dev/vda /jre squashfs ro 0 0\n/dev/vdb /app squashfs ro 0 0\n";

    /** The file at the root of each squashfs image that names where the init mounts it. */
    static final String MARK = ".mirari-mount";

    /** The app's AOT cache in the guest, when the build trained one (see {@link AotTraining}). */
    static final String AOT_CACHE = "/app/app.aot";

    static final int DEFAULT_HEAP_MIB = 64;
    static final int METASPACE_MIB = 48;
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private final Path cacheDir;
    private final HostTools tools;
    private final EventSink events;

    public VmImageBuilder(Path cacheDir, EventSink events) {
        this(cacheDir, HostTools.onPath(null), events);
    }

    /** A builder that runs the host's programs ({@code apt-get}...) found by {@code tools}. */
    public VmImageBuilder(Path cacheDir, HostTools tools, EventSink events) {
        this.cacheDir = cacheDir;
        this.tools = tools;
        this.events = events;
    }

    /** What the build is writing now (an output, or a directory of the cache): a full disk names it. */
    private Path writing;

    public VmImage build(VmImageSpec spec) {
        try {
            return doBuild(spec);
        } catch (IOException e) {
            if (EnvironmentException.diskFull(e) && writing != null) {
                if (writing.startsWith(cacheDir)) throw EnvironmentException.cacheFull(writing, e);
                throw EnvironmentException.diskFull(
                        writing.getFileName().toString(), writing.getParent(), "; the earlier image is unchanged", e);
            }
            throw new BuildException("building the VM image failed: " + e.getMessage(), e);
        }
    }

    private VmImage doBuild(VmImageSpec spec) throws IOException {
        Kernel kernel = new KernelCache(cacheDir, tools, events).kernel(spec.vmKernel());
        events.emit(new Event.Info("kernel: " + kernel.release()
                + (!spec.bzImage() && kernel.pvhElf().isPresent() ? " (PVH ELF)" : " (bzImage)")));
        if (spec.network() && kernel.modules().isEmpty()) {
            events.emit(new Event.Warning(
                    "kernel " + kernel.release() + " comes without modules; its network driver must be built in"));
        }
        var linker = new RuntimeLinker(cacheDir, events);
        var modules = linker.modules(spec.javaHome(), spec.classPath(), spec.mainClass(), spec.depends());
        Path jre = linker.link(spec.javaHome(), modules);

        var fs = new Initramfs();
        fs.add(new InitramfsEntry.CharDevice("/dev/console", 0600, 5, 1));
        for (String d : List.of("/proc", "/sys", "/tmp", "/run", "/root"))
            fs.add(new InitramfsEntry.Directory(d, 0755));
        fs.addTree("/jre", jre);
        if (!Files.isExecutable(BUSYBOX)) {
            throw new BuildException(
                    "VM images need the host's /bin/busybox for their init; install it (apt-get install busybox)");
        }
        fs.addFile("/bin/busybox", 0755, BUSYBOX.toRealPath());
        fs.addText("/init", 0755, resource("init.sh"));
        fs.addText(FSTAB, 0644, FSTAB_TEXT);
        fs.addText("/etc/mirari/udhcpc.script", 0755, resource("udhcpc.script"));
        // The kernel RNG's reseed after a snapshot restore (see mirari-reseed.s and the init).
        fs.addFile(RESEED, 0755, resourceBytes("mirari-reseed"));
        fs.addText("/etc/mirari/user-data.sh", 0644, resource("user-data.sh"));
        for (String lib : SharedLibraries.of(List.of(jre, BUSYBOX)))
            fs.addFile(lib, 0755, Path.of(lib).toRealPath());

        // Mounted, not unpacked: the runtime and the app go into squashfs images that the init mounts
        // (see IMAGES), so the guest's memory holds them compressed, or not at all from a disk.
        List<Path> fsModules = imageModules(kernel, spec.disks().isPresent());
        if (spec.network()) {
            var order = new StringBuilder();
            for (Path ko : modules(kernel, spec.drivers())) {
                if (fsModules.contains(ko)) continue; // loaded already, to mount the images
                String guest = "/lib/modules/" + kernel.release() + "/" + ko.getFileName();
                fs.addFile(guest, 0644, ko);
                order.append(guest).append('\n');
            }
            fs.addText("/etc/mirari/modules", 0644, order.toString());
            if (kernel.optional().containsKey("qemu_fw_cfg")) {
                var fwCfg = new StringBuilder();
                for (Path ko : KernelModules.loadOrder(List.of("qemu_fw_cfg"), kernel.optional())) {
                    String guest = "/lib/modules/" + kernel.release() + "/" + ko.getFileName();
                    if (!order.toString().contains(guest + "\n")) fs.addFile(guest, 0644, ko);
                    fwCfg.append(guest).append('\n');
                }
                fs.addText(FW_CFG, 0644, fwCfg.toString());
            }
        }

        // Relative paths, resolved against / in the guest (the init's working directory) and against
        // the staging directory of the AOT training on the host: the cache accepts the same jars there.
        var cp = new ArrayList<String>();
        var seen = new java.util.HashSet<String>();
        var appFiles = new java.util.TreeMap<String, Path>();
        boolean jarsOnly = true;
        for (Path jar : spec.classPath()) {
            String base = jar.getFileName().toString();
            String guest = "app/lib/" + (seen.add(base) ? base : cp.size() + "-" + base);
            if (Files.isDirectory(jar)) {
                fs.addTree("/" + guest, jar);
                jarsOnly = false; // the AOT cache covers classes from jars only
            } else {
                fs.addFile("/" + guest, 0644, jar);
                appFiles.put(guest, jar);
            }
            cp.add(guest);
        }
        if (spec.kvDir().isPresent() && Files.isDirectory(spec.kvDir().get())) {
            try (Stream<Path> s = Files.list(spec.kvDir().get())) {
                for (Path kv :
                        s.filter(p -> p.toString().endsWith(".kv")).sorted().toList()) {
                    fs.addFile("/app/kv/" + kv.getFileName(), 0644, kv);
                    appFiles.put("app/kv/" + kv.getFileName(), kv);
                }
            }
        }
        int heap = heapMiB(spec.jvmOptions());
        var args = new ArrayList<String>();
        args.add("-XX:+UseSerialGC");
        args.add("-Xmx" + heap + "m");
        args.add("-XX:MaxMetaspaceSize=" + METASPACE_MIB + "m");
        args.add("-XX:-UsePerfData");
        args.add("-Djava.io.tmpdir=/tmp");
        args.add("-Dmirari.kv.dir=app/kv");
        args.add("-Dmirari.vm=true");
        args.addAll(SecurityBoot.jvmOptions(jre));
        for (String o : spec.jvmOptions()) if (!XMX.matcher(o).matches()) args.add(o);
        args.add("-cp");
        args.add(String.join(":", cp));
        args.add(spec.mainClass());
        String jvmArgs =
                String.join("\n", args.stream().map(VmImageBuilder::quoteArg).toList()) + "\n";
        fs.addText("/app/jvm.args", 0644, jvmArgs);
        writing = cacheDir.resolve("aot");
        if (spec.aotTraining() && jarsOnly) {
            var aot = new AotTraining(cacheDir, events)
                    .train(jre, appFiles, jvmArgs, spec.mtime(), AotTraining.Code.QEMU64);
            if (aot.isPresent()) {
                // The init passes -XX:AOTCache=/app/app.aot when the file is there; the cache holds the
                // JDK classes the app loads too, so the default CDS archive would only take memory.
                fs.addFile(AOT_CACHE, 0644, aot.get());
                fs.remove("/jre/lib/server/classes.jsa");
            }
        }

        Path work = fsModules.isEmpty() ? null : Scratch.directory(cacheDir, "image");
        long unpacked;
        var disks = new ArrayList<Path>();
        long disksBytes = 0;
        try {
            var images = work == null
                    ? null
                    : packImages(
                            fs,
                            kernel,
                            fsModules,
                            spec.mtime(),
                            work,
                            spec.disks().isPresent() ? SquashFs.Packing.STORED : SquashFs.Packing.ZSTD);
            if (images != null && spec.disks().isPresent()) {
                var out = spec.disks().get();
                writeDisk(images.runtime(), out.runtime());
                writeDisk(images.app(), out.app());
                disks.addAll(List.of(out.runtime(), out.app()));
                fs.addText(FSTAB_DISKS, 0644, FSTAB_DISKS_TEXT);
                disksBytes = Files.size(out.runtime()) + Files.size(out.app());
            } else if (images != null) {
                fs.addFile("/mirari/jre.sqfs", 0644, images.runtime());
                fs.addFile("/mirari/app.sqfs", 0644, images.app());
            }
            addModulesDep(fs, kernel.release());
            unpacked = fs.unpackedBytes(); // while the app's image (in work) is still there
            writeImage(fs, spec, kernel, images != null && spec.disks().isEmpty());
        } finally {
            if (work != null) Scratch.remove(work);
        }
        var image = new VmImage(
                spec.kernelOut(),
                spec.initrdOut(),
                Files.size(spec.kernelOut()),
                Files.size(spec.initrdOut()),
                unpacked,
                heap,
                METASPACE_MIB,
                !spec.bzImage() && kernel.pvhElf().isPresent(),
                kernel.release(),
                INIT_ARGS,
                disks,
                disksBytes);
        events.emit(new Event.Wrote(spec.kernelOut(), image.kernelBytes()));
        events.emit(new Event.Wrote(spec.initrdOut(), image.initrdBytes()));
        for (Path d : disks) events.emit(new Event.Wrote(d, Files.size(d)));
        return image;
    }

    /**
     * The modules that mount the squashfs images, in load order: from disks, {@code squashfs} and
     * the block drivers of QEMU's microvm (virtio over MMIO) and of Xen (a module for absent hardware
     * refuses to load, which the init ignores); from files, {@code loop} and {@code squashfs}. None
     * (the whole image unpacked in the initramfs, as before) when the host has no {@code mksquashfs}
     * (a warning) or the kernel has no such modules (a custom kernel, which may have them built in or not).
     */
    private List<Path> imageModules(Kernel kernel, boolean disks) throws IOException {
        var wanted =
                disks ? List.of("squashfs", "virtio_mmio", "virtio_blk", "xen_blkfront") : List.of("loop", "squashfs");
        if (!kernel.optional().keySet().containsAll(wanted)) return List.of();
        if (!SquashFs.available()) {
            events.emit(
                    new Event.Warning(
                            "the host has no mksquashfs (Debian package squashfs-tools): the whole"
                                    + " image is unpacked into the guest's memory, which then needs about 100 MiB more; install it and rebuild"));
            return List.of();
        }
        return KernelModules.loadOrder(wanted, kernel.optional());
    }

    /** The runtime's squashfs image (in the cache) and the app's (in the build's scratch directory). */
    private record Images(Path runtime, Path app) {}

    /** Copies a squashfs image to its output through a temporary file beside it. */
    private void writeDisk(Path image, Path out) throws IOException {
        writing = out;
        Path dir = Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        tmp.toFile().deleteOnExit();
        try {
            Files.copy(image, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Moves {@code /jre} and {@code /app} out of the initramfs into squashfs images, each with its
     * mount point in {@link #MARK}, and adds the modules that mount them and the list the init waits
     * for ({@link #MOUNTS}). The runtime's image is kept in {@code <cache>/initrd/} under the hash
     * of its entries: mksquashfs -19 takes a minute on it.
     */
    private Images packImages(
            Initramfs fs, Kernel kernel, List<Path> modules, long mtime, Path work, SquashFs.Packing packing)
            throws IOException {
        var order = new StringBuilder();
        for (Path ko : modules) {
            String guest = "/lib/modules/" + kernel.release() + "/" + ko.getFileName();
            if (!fs.contains(guest)) fs.addFile(guest, 0644, ko);
            order.append(guest).append('\n');
        }
        fs.addText(IMAGES, 0644, order.toString());
        fs.addText(MOUNTS, 0644, "/jre\n/app\n");
        fs.add(new InitramfsEntry.Directory("/mirari/probe", 0755));
        fs.addText("/jre/" + MARK, 0644, "/jre\n");
        fs.addText("/app/" + MARK, 0644, "/app\n");

        MessageDigest md = sha256();
        try (var o = new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), md)) {
            md.update(("squashfs " + packing.key() + " " + SquashFs.BLOCK + " " + mtime + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            fs.writeCpio(o, mtime, p -> p.startsWith("/jre/"));
        }
        Path dir = Files.createDirectories(cacheDir.resolve("initrd"));
        Path runtime = dir.resolve(HexFormat.of().formatHex(md.digest()).substring(0, 32) + ".sqfs");
        if (Files.isRegularFile(runtime)) {
            fs.removeUnder("/jre");
        } else {
            Path tree = Files.createDirectories(work.resolve("jre"));
            fs.moveOut("/jre", tree);
            Path packed = Scratch.file(dir, "jre", ".sqfs");
            try {
                events.emit(
                        new Event.Activity("squashfs of the Java runtime (" + packing.key() + ", once per runtime)"));
                SquashFs.make(tree, packed, mtime, packing);
                Files.move(packed, runtime, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Scratch.remove(packed);
            }
        }
        Path tree = Files.createDirectories(work.resolve("app"));
        fs.moveOut("/app", tree);
        Path app = work.resolve("app.sqfs");
        SquashFs.make(tree, app, mtime, packing);
        return new Images(runtime, app);
    }

    private void writeImage(Initramfs fs, VmImageSpec spec, Kernel kernel, boolean images) throws IOException {
        Path kernelOut = spec.kernelOut();
        Path initrdOut = spec.initrdOut();
        writing = initrdOut;
        Files.createDirectories(kernelOut.toAbsolutePath().getParent());
        // Unique temporary names beside the outputs, so two builds never write the same file.
        Path tmpInitrd =
                Files.createTempFile(initrdOut.toAbsolutePath().getParent(), "." + initrdOut.getFileName(), ".tmp");
        Path tmpKernel =
                Files.createTempFile(kernelOut.toAbsolutePath().getParent(), "." + kernelOut.getFileName(), ".tmp");
        // Ctrl-C ends the JVM without finally blocks; its shutdown still removes these.
        tmpInitrd.toFile().deleteOnExit();
        tmpKernel.toFile().deleteOnExit();
        try {
            if (images)
                writeInitrd(
                        fs, spec, tmpInitrd, initrdOut, p -> !p.equals("/mirari") && !p.startsWith("/mirari/"), false);
            else writeInitrd(fs, spec, tmpInitrd, initrdOut, VmImageBuilder::runtimePart, true);
            writing = kernelOut;
            Files.copy(
                    spec.bzImage() ? kernel.bzImage() : kernel.bootable(),
                    tmpKernel,
                    StandardCopyOption.REPLACE_EXISTING);
            // Temporary files are created 0600; the image is as readable as any build output.
            var readable = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmpKernel, readable);
            Files.setPosixFilePermissions(tmpInitrd, readable);
            Files.move(tmpKernel, kernelOut, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpInitrd, initrdOut, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmpInitrd);
            Files.deleteIfExists(tmpKernel);
        }
    }

    /**
     * Writes {@code /lib/modules/<release>/modules.dep} for the modules in the image (each with its
     * {@code depends=}), so that the init loads every module of a boot with one busybox {@code
     * modprobe -a} instead of one {@code insmod} process each. Nothing when the image has no modules.
     */
    static void addModulesDep(Initramfs fs, String release) throws IOException {
        String dir = "/lib/modules/" + release + "/";
        // Normalised module name ('-' as '_', as depends= may spell it) to its file in the image.
        var files = new java.util.TreeMap<String, InitramfsEntry.RegularFile>();
        for (var e : fs.entries()) {
            if (e instanceof InitramfsEntry.RegularFile f
                    && f.path().startsWith(dir)
                    && f.path().endsWith(".ko")
                    && f.path().indexOf('/', dir.length()) < 0) {
                String name = f.path().substring(dir.length(), f.path().length() - ".ko".length());
                files.put(KernelModules.normalise(name), f);
            }
        }
        var dep = new StringBuilder();
        for (var f : files.values()) {
            byte[] ko = f.source() != null ? Files.readAllBytes(f.source()) : f.data();
            dep.append(f.path().substring(dir.length())).append(':');
            for (String d : KernelModules.depends(ko)) {
                var file = files.get(KernelModules.normalise(d));
                if (file != null) dep.append(' ').append(file.path().substring(dir.length()));
            }
            dep.append('\n');
        }
        if (!dep.isEmpty()) fs.addText(dir + "modules.dep", 0644, dep.toString());
    }

    /**
     * The network drivers, then each of {@code drivers} with its dependencies (in load order). A
     * driver the kernel has no module for is a warning: a custom kernel may have it built in.
     */
    List<Path> modules(Kernel kernel, List<String> drivers) throws IOException {
        var order = new java.util.LinkedHashSet<>(kernel.modules());
        for (String d : drivers) {
            if (!kernel.optional().containsKey(KernelModules.normalise(d))) {
                events.emit(new Event.Warning("kernel " + kernel.release() + " has no module " + d
                        + "; unless it is built in, the image cannot use that device"));
                continue;
            }
            order.addAll(KernelModules.loadOrder(List.of(d), kernel.optional()));
        }
        return List.copyOf(order);
    }

    /** The part of the guest that changes with the JDK, the host and the kernel only: kept compressed in the cache. */
    static boolean runtimePart(String path) {
        for (String top : List.of("/jre", "/lib", "/lib64", "/usr", "/bin")) {
            if (path.equals(top) || path.startsWith(top + "/")) return true;
        }
        return false;
    }

    /**
     * Writes the initramfs as two concatenated archives: the runtime part (the linked runtime,
     * libraries, busybox and kernel modules: 95% of the bytes), compressed once per content into
     * {@code <cache>/initrd/<sha256>} because zstd -19 takes a minute on it, then the app's part.
     */
    private void writeInitrd(
            Initramfs fs,
            VmImageSpec spec,
            Path out,
            Path output,
            java.util.function.Predicate<String> cachedPart,
            boolean compressRest)
            throws IOException {
        Compression c = spec.compression();
        if (!c.available()) {
            events.emit(new Event.Warning("the host has no " + c.label() + " (Debian package " + c.label()
                    + "): the initrd is gzip, larger and slower to unpack; install it and rebuild"));
            c = Compression.GZIP;
        }
        Path dir = cacheDir.resolve("initrd");
        Scratch.sweep(dir);
        Path raw = Scratch.file(dir, "part", ".cpio");
        Path packed = Scratch.file(dir, "part", ".z");
        try (var initrd = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            if (!compressRest) {
                // The squashfs files (compressed already) come first as a plain cpio archive: the
                // kernel takes a cpio header only at an offset that is a multiple of 4 (or a
                // compressed archive's magic), and a compressed archive before it may end anywhere
                // ("Initramfs unpacking failed: invalid magic at start of compressed archive").
                writing = dir;
                try (var o = new BufferedOutputStream(Files.newOutputStream(raw), 1 << 16)) {
                    fs.writeCpio(o, spec.mtime(), cachedPart.negate());
                }
                writing = output;
                Files.copy(raw, initrd);
            }
            writing = dir;
            MessageDigest md = sha256();
            try (var o = new java.security.DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(raw), 1 << 16), md)) {
                fs.writeCpio(o, spec.mtime(), cachedPart);
            }
            Path cached = dir.resolve(HexFormat.of().formatHex(md.digest()).substring(0, 32) + "." + c.label());
            if (!Files.isRegularFile(cached)) {
                events.emit(new Event.Activity("compressing the initramfs (" + c.label() + ")"));
                c.compress(raw, packed);
                Files.move(packed, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            writing = output;
            Files.copy(cached, initrd);
            if (compressRest) {
                writing = dir;
                try (var o = new BufferedOutputStream(Files.newOutputStream(raw), 1 << 16)) {
                    fs.writeCpio(o, spec.mtime(), cachedPart.negate());
                }
                c.compress(raw, packed);
                writing = output;
                Files.copy(packed, initrd);
            }
            initrd.flush();
        } finally {
            Scratch.remove(raw);
            Scratch.remove(packed);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (var in = VmImageBuilder.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return in.readAllBytes();
        }
    }

    private static String resource(String name) throws IOException {
        try (var in = VmImageBuilder.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The heap from an {@code -Xmx} in the options (rounded up to MiB), else the default. */
    public static int heapMiB(List<String> jvmOptions) {
        int heap = DEFAULT_HEAP_MIB;
        for (String o : jvmOptions) {
            var m = XMX.matcher(o);
            if (!m.matches()) continue;
            long n = Long.parseLong(m.group(1));
            heap = (int)
                    switch (m.group(2).toLowerCase()) {
                        case "" -> (n + (1 << 20) - 1) >> 20;
                        case "k" -> (n + 1023) / 1024;
                        case "g" -> n * 1024;
                        default -> n;
                    };
        }
        return Math.max(heap, 8);
    }

    /** Quotes an argument-file entry when it contains spaces or quotes (the java launcher's @file syntax). */
    public static String quoteArg(String a) {
        if (a.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\' || c == '#')) return a;
        return "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Writes what {@code run} needs to know about an image without rebuilding it; the kernel and
     * the initrd are named relative to {@code appDir} (beside the conf: their names).
     */
    public static void writeManifest(VmImage image, Path file, Path appDir) throws IOException {
        var p = new Properties();
        var dir = appDir.toAbsolutePath().normalize();
        p.setProperty(
                "kernel",
                dir.relativize(image.kernel().toAbsolutePath().normalize()).toString());
        p.setProperty(
                "initrd",
                dir.relativize(image.initrd().toAbsolutePath().normalize()).toString());
        p.setProperty("unpacked-bytes", Long.toString(image.unpackedBytes()));
        p.setProperty("heap-mib", Integer.toString(image.heapMiB()));
        p.setProperty("metaspace-mib", Integer.toString(image.metaspaceMiB()));
        p.setProperty("pvh", Boolean.toString(image.pvh()));
        p.setProperty("kernel-release", image.kernelRelease());
        p.setProperty("init-args", image.initArgs());
        p.setProperty(
                "disks",
                String.join(
                        ",",
                        image.disks().stream()
                                .map(d -> dir.relativize(d.toAbsolutePath().normalize())
                                        .toString())
                                .toList()));
        Files.createDirectories(file.getParent());
        var lines = new ArrayList<String>();
        for (String k : new java.util.TreeSet<>(p.stringPropertyNames())) lines.add(k + "=" + p.getProperty(k));
        Files.write(file, lines);
    }

    /** Reads a manifest written by {@link #writeManifest}, with the outputs beside {@code appDir}. */
    public static VmImage readManifest(Path file, Path appDir) throws IOException {
        var p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Path kernel = appDir.resolve(p.getProperty("kernel"));
        Path initrd = appDir.resolve(p.getProperty("initrd"));
        var disks = new ArrayList<Path>();
        long disksBytes = 0;
        for (String d : p.getProperty("disks", "").split(",")) {
            if (d.isEmpty()) continue;
            disks.add(appDir.resolve(d));
            disksBytes += Files.size(appDir.resolve(d));
        }
        return new VmImage(
                kernel,
                initrd,
                Files.size(kernel),
                Files.size(initrd),
                Long.parseLong(p.getProperty("unpacked-bytes")),
                Integer.parseInt(p.getProperty("heap-mib")),
                Integer.parseInt(p.getProperty("metaspace-mib")),
                Boolean.parseBoolean(p.getProperty("pvh")),
                p.getProperty("kernel-release"),
                p.getProperty("init-args"),
                disks,
                disksBytes);
    }
}
