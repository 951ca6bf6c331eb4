package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.hosttool.HostTool;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * The {@code --oci} target: the app as an OCI image from scratch (the jlink'd runtime of the VM
 * images with the libraries it needs, the dependencies, the KV stores, the app: one layer each, in
 * that order, so an app change rebuilds only the top layer), built by the pipeline with jib-core
 * (in the {@code mirari-oci} module), and run here with runc in a network namespace of its own,
 * with TCP forwards from host ports. The image's paths, entrypoint and labels are defined here, once.
 */
public final class OciBackend implements Backend {
    /** Where the linked runtime goes in the image. */
    public static final String JRE = "/jre";

    /** The jars: the app's, then Mirari's and the packages'. */
    public static final String LIB = "/app/lib";

    /** The packed KV stores, {@code mirari.kv.dir}. */
    public static final String KV = "/app/kv";

    /** The app's AOT cache (JEP 514), trained by the build for {@code main-http} apps, the image's top layer. */
    public static final String AOT_CACHE = "/app/app.aot";

    /**
     * The user the app runs as, {@code uid:gid}: no one's on the host and not root in the container
     * (65532, distroless's "nonroot", which Kubernetes operators know). The image's files are
     * root's and read-only to it; it writes only to {@code /tmp}.
     */
    public static final int USER = 65532;

    private final Host host;

    public OciBackend(Host host) {
        this.host = host;
    }

    public OciBackend() {
        this(Host.bare());
    }

    @Override
    public Target target() {
        return Target.OCI;
    }

    @Override
    public Artifact artifact() {
        return new Artifact.OciImage();
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        var out = app.outputs();
        return List.of(
                new PlannedFile(out.jar(Target.OCI), "the app's classes (the image's top layer)"),
                new PlannedFile(ociArchive(app), "the image as an OCI archive (jib-core)"),
                new PlannedFile(ociLayout(app), "the image as an OCI image layout directory"),
                new PlannedFile(out.imageManifest(Target.OCI), "the image's digest, for runs and deployments"),
                new PlannedFile(out.buildFingerprint(Target.OCI), "the build's fingerprint, for the up-to-date check"));
    }

    /** {@code .mirari/oci/<name>.oci.tar}: the OCI archive ({@code build --tar} names it). */
    public static Path ociArchive(AppBuild app) {
        return app.outputs().buildDir(Target.OCI).resolve(app.name() + ".oci.tar");
    }

    /** {@code .mirari/oci/layout}: the OCI image layout. */
    public static Path ociLayout(AppBuild app) {
        return app.outputs().buildDir(Target.OCI).resolve("layout");
    }

    /** The image's name in the layout and archive: {@code mirari/<name>:latest}. */
    public static String reference(AppBuild app) {
        return "mirari/" + app.name() + ":latest";
    }

    /** Where KubeVirt's {@code kernelBoot} finds the VM image's kernel in its container disk: {@code /boot/mir-<name>.vmlinuz}. */
    public static String kernelBootKernel(AppBuild app) {
        return "/boot/mir-" + app.name() + ".vmlinuz";
    }

    /** The same for the initrd: {@code /boot/mir-<name>.initrd}. */
    public static String kernelBootInitrd(AppBuild app) {
        return "/boot/mir-" + app.name() + ".initrd";
    }

    /**
     * The same for the VM image's two read-only disks (the runtime's, then the app's squashfs), which
     * the VirtualMachine attaches from the same container disk ({@code containerDisk.path}) as
     * virtio disks: the guest's init finds them by the mount point each names, as under {@code --qemu}.
     */
    public static List<String> kernelBootDisks(AppBuild app) {
        return List.of("/boot/mir-" + app.name() + ".jre.sqfs", "/boot/mir-" + app.name() + ".app.sqfs");
    }

    /** The container disk's name in its layout and archive: {@code mirari/<name>-kernelboot:latest}. */
    public static String kernelBootReference(AppBuild app) {
        return "mirari/" + app.name() + "-kernelboot:latest";
    }

    /** The jar's path in the image: the app's own under its name, the others under theirs. */
    public static String imagePath(Path jar) {
        return LIB + "/" + jar.getFileName();
    }

    /**
     * The image's entrypoint: the linked runtime's {@code java}, with the app's AOT cache when the
     * image has one ({@link #aotCache}), then {@link #jvmArgs}. Arguments after it are boot-time
     * parameters ({@code http-port=9090}).
     */
    public static List<String> entrypoint(AppBuild app) {
        return entrypoint(app, aotCache(app));
    }

    /** The entrypoint, with or without the AOT cache. */
    public static List<String> entrypoint(AppBuild app, boolean aotCache) {
        var cmd = new ArrayList<String>();
        cmd.add(JRE + "/bin/java");
        if (aotCache) {
            // As in the VM images: the cache holds no call adapters (they are the build host's machine code).
            cmd.addAll(
                    List.of("-XX:AOTCache=" + AOT_CACHE, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching"));
        }
        cmd.addAll(jvmArgs(app));
        return cmd;
    }

    /**
     * The JVM's arguments after its AOT options: those of the VM image's JVM, boot-time parameters
     * from the environment too ({@code -Dmirari.boot.env=true}: a ConfigMap's
     * {@code MIRARI_HTTP_PORT}), then the class path and the main class. The paths are relative
     * to the image's working directory {@code /}, so that the AOT training runs the same
     * arguments in a directory of its own, and the cache (which names its jars as the class
     * path names them) accepts the image's jars.
     */
    public static List<String> jvmArgs(AppBuild app) {
        var cmd = new ArrayList<String>(List.of(
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=/tmp",
                "-Dmirari.kv.dir=" + KV.substring(1),
                "-Dmirari.boot.env=true"));
        cmd.addAll(app.jvmOptions());
        var cp = new ArrayList<String>();
        cp.add(imagePath(app.outputs().jar(Target.OCI)).substring(1));
        app.classpath().forEach(j -> cp.add(imagePath(j).substring(1)));
        cmd.add("-cp");
        cmd.add(String.join(":", cp));
        cmd.add("Main");
        return cmd;
    }

    /**
     * Whether the image has the app's AOT cache: as the build recorded it
     * ({@code aot-cache=} in {@code image.properties}: training may fail, and the build then
     * leaves the cache out), else, before a build, whether the build will train one (a
     * {@code main-http} app: the training sends it requests).
     */
    public static boolean aotCache(AppBuild app) {
        var record = app.outputs().imageManifest(Target.OCI);
        if (java.nio.file.Files.isRegularFile(record)) {
            try {
                return java.nio.file.Files.readAllLines(record).contains("aot-cache=" + AOT_CACHE);
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return app.config().main().kind() == EntryPoint.Kind.HTTP;
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        String runc = host.tools()
                .require(HostTool.RUNC, "run --oci needs it to run the image", "or use --socket")
                .toString();
        var forwards = new ArrayList<ContainerPlan.Forward>();
        var requested = new ArrayList<>(options.forwards());
        if (requested.isEmpty() && app.config().main().kind() == EntryPoint.Kind.HTTP)
            requested.add(new PortForward("127.0.0.1", boot.httpPort(), boot.httpPort()));
        for (var f : requested) {
            int port = f.hostPort() == 0 || !QemuBackend.bindable(f.hostAddress(), f.hostPort())
                    ? QemuBackend.freePort(f.hostAddress())
                    : f.hostPort();
            forwards.add(new ContainerPlan.Forward(f.hostAddress(), port, f.guestPort()));
        }
        return spec(runc, app, boot, forwards);
    }

    /** The run as a value, for these forwards (tests compare it, {@code run --dry-run} prints it). */
    static RunSpec.Container spec(String runc, AppBuild app, Boot boot, List<ContainerPlan.Forward> forwards) {
        String id = "mirari-" + app.name() + "-"
                + (forwards.isEmpty() ? "0" : forwards.getFirst().hostPort());
        if (id.length() > 64) id = id.substring(0, 64);
        var dir = app.outputs().buildDir(Target.OCI);
        Path bundle = dir.resolve("run").resolve(id);
        Path rootfs = dir.resolve("rootfs");
        var args = new ArrayList<>(entrypoint(app));
        boot.overrides().forEach((k, v) -> args.add(k + "=" + v));
        var plan = new ContainerPlan(
                id,
                ociLayout(app),
                rootfs,
                bundle,
                RuncConfig.json(args, rootfs, Path.of("/run/netns").resolve(id), app.name()),
                "mv" + shortHash(id),
                boot.ipGateway().toString(),
                boot.ipAddress().toString(),
                boot.prefix(),
                forwards);
        var listen = app.config().main().kind() == EntryPoint.Kind.HTTP
                ? Optional.of(new RunSpec.Listen(boot.httpAddress(), boot.httpPort()))
                : Optional.<RunSpec.Listen>empty();
        var launch =
                new Launch(List.of(runc, "run", "--bundle", bundle.toString(), id), Map.of(), bundle, Optional.empty());
        return new RunSpec.Container(launch, plan, listen);
    }

    /** Eight hex digits of a name's hash: a veth's name has at most 15 characters. */
    static String shortHash(String s) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(md.digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
