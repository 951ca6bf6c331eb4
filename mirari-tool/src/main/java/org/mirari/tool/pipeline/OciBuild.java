package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.OciBackend;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.AotTraining;
import org.mirari.tool.image.RuntimeLinker;
import org.mirari.tool.image.SharedLibraries;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.oci.OciExtensions;
import org.mirari.tool.oci.OciImage;
import org.mirari.tool.oci.OciImageSpec;
import org.mirari.tool.output.GeneratedManifest;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.targets.Target;

/**
 * The build of an OCI image ({@code --oci}): compile, package a plain jar, link the runtime as for
 * a VM image ({@link RuntimeLinker}, cached), then lay the files out in layers, bottom to top
 * {@code runtime} (the runtime and the host libraries it needs), {@code dependencies} (Mirari's and
 * the packages' jars), {@code kv-stores}, {@code app} (the app's jar), {@code aot-cache} (the
 * app's AOT cache, {@code main-http} apps), and hand them to jib-core
 * (the {@code mirari-oci} module), which writes the OCI archive and layout. Its record is
 * {@code .mirari/oci/build.sha256}; {@code .mirari/oci/image.properties} holds the digest.
 */
record OciBuild(AppBuild app, Host host, EventSink events) implements TargetBuild {

    @Override
    public boolean upToDate() {
        return TargetBuild.recorded(
                app.outputs().buildFingerprint(Target.OCI),
                List.of(
                        OciBackend.ociLayout(app).resolve("index.json"),
                        app.outputs().imageManifest(Target.OCI)),
                this::fingerprint);
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        if (upToDate()) {
            events.emit(new Event.Info("image up to date: " + OciBackend.reference(app) + " " + digest(app)));
            events.emit(new Event.StepFinished("build", since(t0), true));
            return;
        }
        try {
            String fingerprint = fingerprint();
            var spec = spec(host, events);
            events.emit(new Event.StepStarted("image", "OCI image " + spec.reference() + " (jib-core, from scratch)"));
            OciImage image = OciExtensions.load(host.mirariHome())
                    .build(spec, OciBackend.ociArchive(app), OciBackend.ociLayout(app), events);
            describe(image).forEach(l -> events.emit(new Event.Info(l)));
            boolean aot = image.layers().stream().anyMatch(l -> l.name().equals("aot-cache"));
            Files.writeString(
                    app.outputs().imageManifest(Target.OCI),
                    "digest=" + image.digest() + "\n" + (aot ? "aot-cache=" + OciBackend.AOT_CACHE + "\n" : ""));
            Files.writeString(app.outputs().buildFingerprint(Target.OCI), fingerprint + "\n");
            events.emit(new Event.Wrote(OciBackend.ociArchive(app), Files.size(OciBackend.ociArchive(app))));
            events.emit(new Event.StepFinished("image", since(t0), false));
            events.emit(new Event.StepFinished("build", since(t0), false));
        } catch (IOException e) {
            throw new BuildException("building the OCI image of " + app.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** Copies the archive of the last build to {@code file}, through a temporary file beside it. */
    static void archiveBesideConf(AppBuild app, Path file, EventSink events) {
        archiveBesideConf(app, OciBackend.ociArchive(app), file, events);
    }

    /** Copies the archive {@code archive} to {@code file} beside the conf, recorded as Mirari's for {@code clean}. */
    static void archiveBesideConf(AppBuild app, Path archive, Path file, EventSink events) {
        try {
            ImageStep.requireOurs(app, file);
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            tmp.toFile().deleteOnExit();
            try {
                Files.copy(archive, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(
                        tmp,
                        file,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            // A binary cannot carry a stamp: recorded, so that mirari clean knows it is Mirari's.
            GeneratedManifest.record(app.appDir(), file);
            events.emit(new Event.Wrote(file, Files.size(file)));
        } catch (IOException e) {
            throw new BuildException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the same image into a registry (jib pushes what it builds; the layers and config are
     * the layout's, so the digest is the same). A registry on loopback may speak plain HTTP.
     */
    void push(String reference) {
        long t0 = System.nanoTime();
        try {
            var spec = spec(host, new EventSink() {
                @Override
                public void emit(Event e) {
                    if (e instanceof Event.Warning) events.emit(e);
                }
            });
            events.emit(new Event.StepStarted("push", reference));
            var pushed = OciExtensions.load(host.mirariHome()).push(spec, reference, loopback(reference), events);
            String built = digest(app);
            events.emit(new Event.Info("pushed " + reference + "@" + pushed.digest()
                    + (pushed.digest().equals(built)
                            ? " (the built image)"
                            : " (differs from the built " + built + ")")));
            events.emit(new Event.StepFinished("push", since(t0), false));
        } catch (IOException e) {
            throw new BuildException("pushing " + reference + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether the reference's registry is on loopback ({@code localhost}, {@code 127.x}, {@code [::1]}). */
    static boolean loopback(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) return false;
        String host = reference.substring(0, slash).replaceFirst(":\\d+$", "");
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** The digest of the last build, from {@code .mirari/oci/image.properties}. */
    static String digest(AppBuild app) {
        try {
            for (String line : Files.readAllLines(app.outputs().imageManifest(Target.OCI)))
                if (line.startsWith("digest=")) return line.substring("digest=".length());
        } catch (IOException e) {
            // reported below
        }
        throw new BuildException("the OCI image of " + app.name() + " is not built; run mirari build --oci");
    }

    /** Compiles, packages and links, then lays out the image: what jib builds, and what a push builds again. */
    OciImageSpec spec(Host host, EventSink events) throws IOException {
        Files.createDirectories(app.outputs().buildDir(Target.OCI));
        var compiled = CompileStep.compile(app, host, events);
        Path jar = PackageStep.plainJar(app, Target.OCI, compiled, host);
        var classPath = new ArrayList<Path>();
        classPath.add(jar);
        classPath.addAll(app.classpath());
        var linker = new RuntimeLinker(host.usableCacheDir(), events);
        var depends = app.config().depends().stream().map(Located::value).toList();
        Path jre = linker.link(app.javaHome(), linker.modules(app.javaHome(), classPath, "Main", depends));

        var runtime = new ArrayList<OciImageSpec.Entry>();
        runtime.addAll(tree(jre, OciBackend.JRE));
        for (String lib : SharedLibraries.of(List.of(jre)))
            runtime.add(new OciImageSpec.Entry(Path.of(lib).toRealPath(), lib, 0755));
        Path empty = Files.createDirectories(app.outputs().buildDir(Target.OCI).resolve("empty"));
        runtime.add(new OciImageSpec.Entry(empty, "/tmp", 01777));
        var dependencies = new ArrayList<OciImageSpec.Entry>();
        for (Path j : app.classpath()) dependencies.add(new OciImageSpec.Entry(j, OciBackend.imagePath(j), 0644));
        var kv = new ArrayList<OciImageSpec.Entry>();
        if (Files.isDirectory(app.outputs().kvDir())) {
            try (Stream<Path> s = Files.list(app.outputs().kvDir())) {
                for (Path f :
                        s.filter(p -> p.toString().endsWith(".kv")).sorted().toList())
                    kv.add(new OciImageSpec.Entry(f, OciBackend.KV + "/" + f.getFileName(), 0644));
            }
        }
        // An empty layer is no layer (jib leaves it out): an app without KV stores has three.
        var layers = Stream.of(
                        new OciImageSpec.Layer("runtime", runtime),
                        new OciImageSpec.Layer("dependencies", dependencies),
                        new OciImageSpec.Layer("kv-stores", kv),
                        new OciImageSpec.Layer(
                                "app", List.of(new OciImageSpec.Entry(jar, OciBackend.imagePath(jar), 0644))))
                .filter(l -> !l.entries().isEmpty())
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        var aot = aotCache(jre, jar, kv, events);
        aot.ifPresent(cache -> {
            // On top: it is made from every layer below, the app's above all. It holds the JDK's
            // classes that the app loads, so the runtime's default CDS archive would be dead weight.
            layers.add(new OciImageSpec.Layer(
                    "aot-cache", List.of(new OciImageSpec.Entry(cache, OciBackend.AOT_CACHE, 0644))));
            runtime.removeIf(e -> e.path().equals(OciBackend.JRE + "/lib/server/classes.jsa"));
            layers.set(0, new OciImageSpec.Layer("runtime", runtime));
        });
        var labels = new LinkedHashMap<String, String>();
        labels.put("org.opencontainers.image.title", app.name());
        labels.put("org.mirari.version", app.toolVersion());
        labels.put("org.mirari.conf-sha256", Fingerprint.sha256(app.conf()));
        var config = app.config();
        var port = config.main().kind() == EntryPoint.Kind.HTTP
                ? OptionalInt.of(config.effectiveHttpPort())
                : OptionalInt.empty();
        return new OciImageSpec(
                OciBackend.reference(app),
                layers,
                OciBackend.entrypoint(app, aot.isPresent()),
                OciBackend.USER + ":" + OciBackend.USER,
                port,
                labels,
                host.sourceDateEpoch(),
                host.usableCacheDir().resolve("jib"));
    }

    /**
     * The app's AOT cache for the image, trained as for a VM image ({@link AotTraining}): the
     * image's runtime and arguments ({@link OciBackend#jvmArgs}, whose paths are relative to the
     * image's {@code /}), its jars and KV stores at the same relative paths with the image's mtime.
     * {@code main-http} apps only (the training asks {@code GET /}); empty when training failed,
     * which it has warned of.
     */
    private java.util.Optional<Path> aotCache(Path jre, Path jar, List<OciImageSpec.Entry> kv, EventSink events)
            throws IOException {
        if (app.config().main().kind() != EntryPoint.Kind.HTTP) return java.util.Optional.empty();
        var files = new java.util.TreeMap<String, Path>();
        files.put(OciBackend.imagePath(jar).substring(1), jar);
        for (Path j : app.classpath()) files.put(OciBackend.imagePath(j).substring(1), j);
        for (var e : kv) files.put(e.path().substring(1), e.source());
        String args = String.join(
                        "\n",
                        OciBackend.jvmArgs(app).stream()
                                .map(VmImageBuilder::quoteArg)
                                .toList())
                + "\n";
        long t0 = System.nanoTime();
        events.emit(new Event.StepStarted("aot", "AOT cache (a training run of the app, kept by its inputs)"));
        var cache = new AotTraining(host.usableCacheDir(), events)
                .train(jre, files, args, host.sourceDateEpoch(), AotTraining.Code.NONE);
        events.emit(new Event.StepFinished("aot", since(t0), false));
        return cache;
    }

    /** Every file under {@code dir} at {@code prefix} in the image, with its permission bits, sorted. */
    private static List<OciImageSpec.Entry> tree(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            var out = new ArrayList<OciImageSpec.Entry>();
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                int mode = Files.isExecutable(p) ? 0755 : 0644;
                out.add(new OciImageSpec.Entry(
                        p, prefix + "/" + dir.relativize(p).toString().replace('\\', '/'), mode));
            }
            return out;
        }
    }

    /** The build's summary: the digest, then each layer's compressed size. */
    static List<String> describe(OciImage image) {
        var lines = new ArrayList<String>();
        lines.add("image " + image.digest() + ", " + mb(image.bytes()) + " in "
                + image.layers().size() + " layers");
        for (var l : image.layers())
            lines.add("  layer " + l.name() + ": " + mb(l.bytes()) + " ("
                    + l.digest().substring(0, 19) + ")");
        return lines;
    }

    private String fingerprint() throws IOException {
        return ImageBuild.appInputs(app, Target.OCI, host)
                .value("image-layout", "oci-1")
                .hex();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
