package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Backend;
import org.mirari.tool.backend.Host;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.ConfigLocator;
import org.mirari.tool.config.Located;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.plan.ToolVersion;
import org.mirari.tool.targets.Target;

/**
 * The pipeline's runner, what {@code build} and {@code run} share: locate and parse the conf into a
 * {@link Plan}, run the configure step when its outputs are missing or stale, resolve, then run the
 * target's build ({@link TargetBuild}: compile, package, and image for a VM) when its inputs
 * changed, saying what it does at each step.
 *
 * <p>Boot-time keys given with {@code --set} ({@code http-port}, {@code ip-*}...) are kept out of
 * configure and build, so that {@code run --set http-port=9090} starts the same build with another
 * port; they reach the app as arguments.
 *
 * @param plan  the plan for the build: the conf with the build-time {@code --set}s
 * @param boot  the run's boot-time parameters: the conf's, overridden by the boot-time {@code --set}s
 * @param backend the target's backend, on {@code host}
 * @param host  the machine, as the backends and the run see it
 */
public record Pipeline(Plan plan, Boot boot, Backend backend, Host host, ToolContext context, EventSink sink) {

    /**
     * Locates and parses the conf, reports its warnings, and plans for the requested target.
     *
     * @param location  the FILE or DIR argument as typed, or {@code null} for the current directory
     * @param requested the command line's target switch, if any
     * @param sets      the {@code --set KEY=VALUE}s, in order
     */
    public static Pipeline prepare(
            ToolContext context, String location, Optional<Target> requested, List<String> sets, EventSink sink) {
        var located = ConfigLocator.locate(location, context.cwd());
        var buildSets = new ArrayList<String>();
        var bootOverrides = new LinkedHashMap<String, String>();
        for (var set : sets) {
            int eq = set.indexOf('=');
            var key = eq < 0 ? set : set.substring(0, eq).strip();
            if (eq > 0 && Config.BOOT_KEYS.contains(key))
                bootOverrides.put(key, set.substring(eq + 1).strip());
            else buildSets.add(set);
        }
        // Parsed with every --set first, so that a bad boot-time value is reported as a config error.
        var parser = located.parser(context.userHome());
        var effective = parser.parseFile(sets);
        var config = bootOverrides.isEmpty() ? effective : parser.parseFile(buildSets);
        var plan = plan(config, requested, context, sink);
        var host = new Host(context);
        return new Pipeline(
                plan, Boot.of(effective, bootOverrides), Backend.of(plan.target(), host), host, context, sink);
    }

    /** The plan for the conf that {@code location} names, parsed with {@code sets} (what {@code configure} plans). */
    public static Plan plan(
            ToolContext context, String location, Optional<Target> requested, List<String> sets, EventSink sink) {
        var config = ConfigLocator.locate(location, context.cwd())
                .parser(context.userHome())
                .parseFile(sets);
        return plan(config, requested, context, sink);
    }

    /** The plan for a parsed conf, reporting its warnings and a target the conf chose over the switch. */
    public static Plan plan(Config config, Optional<Target> requested, ToolContext context, EventSink sink) {
        config.warnings().forEach(w -> sink.emit(new Event.Warning(w)));
        var plan = Plan.of(config, requested, context.env(), context.properties());
        plan.targetNote().ifPresent(n -> sink.emit(new Event.Info(n)));
        return plan;
    }

    public Config config() {
        return plan.config();
    }

    /** Runs configure when its outputs are missing or its inputs changed; returns whether it ran. */
    public boolean configureIfStale() {
        var stamp = plan.outputs().configureStamp();
        String fingerprint;
        try {
            fingerprint = configureFingerprint();
            var missing =
                    configureOutputs().stream().filter(p -> !Files.exists(p)).findFirst();
            if (missing.isEmpty()
                    && Files.isRegularFile(stamp)
                    && Files.readString(stamp).strip().equals(fingerprint)) {
                return false;
            }
            sink.emit(new Event.Info(
                    missing.isPresent()
                            ? "configuring: " + plan.appDir().relativize(missing.get()) + " is missing"
                            : Files.isRegularFile(stamp)
                                    ? "configuring: the conf or its directories changed"
                                    : "configuring"));
        } catch (IOException e) {
            throw new BuildException(
                    "cannot read the configure outputs of " + plan.config().fileName() + ": " + e.getMessage(), e);
        }
        ConfigureStep.run(plan, new ConfigureStep.Options(false, false), context, sink);
        try {
            Files.createDirectories(stamp.getParent());
            Files.writeString(stamp, fingerprint + "\n");
        } catch (IOException e) {
            throw new BuildException("cannot write " + stamp + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** Configure's outputs that must exist. */
    List<Path> configureOutputs() {
        var outputs = new ArrayList<Path>(List.of(plan.outputs().mainJava()));
        for (var store : config().stores()) outputs.add(plan.outputs().kvStore(store.name()));
        if (!config().packages().isEmpty()) outputs.add(plan.outputs().lockFile());
        if (config().https().selfSigned()) outputs.addAll(config().selfSignedFiles());
        return outputs;
    }

    /**
     * Configure's inputs: the conf's bytes, the build-time {@code --set}s, the target, the JDK, the
     * tool's version, and each {@code fs-*} tree as names, sizes and modification times (hashing a
     * large tree's content on every run would cost more than the packing it saves).
     */
    String configureFingerprint() throws IOException {
        var f = new Fingerprint()
                .file("conf", config().file())
                .value("target", plan.target().switchName())
                .value("jdk", plan.jdk().home().toString())
                .value("tool", ToolVersion.current())
                .value("config", describe(config()));
        for (var store : config().stores()) f.value("store:" + store.name(), treeState(store.dir()));
        return f.hex();
    }

    /** The parsed config's build-time content (it includes the build-time {@code --set}s). */
    private static String describe(Config c) {
        return String.join(
                "\n",
                List.of(
                        c.name().value(),
                        c.main().toString(),
                        c.stores().stream()
                                .map(s -> s.name() + "=" + s.dir())
                                .toList()
                                .toString(),
                        c.packages().stream()
                                .map(p -> p.value().toString())
                                .toList()
                                .toString(),
                        c.depends().stream().map(Located::value).toList().toString(),
                        c.jvmOptions().stream().map(Located::value).toList().toString(),
                        c.bootDefaults().toString()));
    }

    static String treeState(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return "missing";
        var lines = new ArrayList<String>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                lines.add(dir.relativize(file) + "\u0000" + attrs.size() + "\u0000"
                        + attrs.lastModifiedTime().toMillis());
                return FileVisitResult.CONTINUE;
            }
        });
        lines.sort(null);
        return String.join("\n", lines);
    }

    /** The backend's view of the configured app, with these resolved package jars. */
    public AppBuild appBuild(List<Path> dependencies) {
        var runtime = backend.runtimeModules().stream().map(this::runtimeJar).toList();
        return new AppBuild(
                plan.name(),
                config().file(),
                sources(plan.appDir()),
                runtime,
                dependencies,
                plan.jdk().feature(),
                plan.jdk().home(),
                config().jvmOptions().stream().map(Located::value).toList(),
                ToolVersion.current(),
                config());
    }

    /**
     * Configures and builds as needed; returns the app as built. When nothing changed this costs
     * no dependency resolution: the jars of the last build are reused while the lock file is the
     * same and they are still there (their content is in the build fingerprint, and any real
     * build resolves again, checking each jar's SHA-256 against the lock).
     */
    public AppBuild build() {
        configureIfStale();
        var cached = cachedDependencies();
        if (cached.isPresent()) {
            var app = appBuild(cached.get());
            var build = TargetBuild.of(backend, app, host, sink);
            if (build.upToDate()) {
                build.run();
                return app;
            }
        }
        var dependencies = dependencies();
        var app = appBuild(dependencies);
        var build = TargetBuild.of(backend, app, host, sink);
        if (!build.upToDate()) {
            sink.emit(new Event.StepStarted(
                    "build", plan.name() + " for --" + plan.target().switchName()));
        }
        build.run();
        recordDependencies(dependencies);
        return app;
    }

    /** {@code mir-<name>.oci.tar} beside the conf: where {@code build --oci --tar} copies the image's archive. */
    public Path ociTarName() {
        return plan.appDir().relativize(plan.outputs().ociTar());
    }

    /** Copies the built OCI archive beside the conf ({@code build --oci --tar}). */
    public void ociTar(AppBuild app) {
        OciBuild.archiveBesideConf(app, plan.appDir().resolve(ociTarName()), sink);
    }

    /** Pushes the built app's image to a registry ({@code build --oci --push REF}); the digest is the layout's. */
    public void ociPush(AppBuild app, String reference) {
        new OciBuild(app, host, sink).push(reference);
    }

    /**
     * The built VM image as KubeVirt's container disk ({@code build --qemu --kernel-boot}):
     * {@code mir-<name>-kernelboot.oci.tar} beside the conf, and pushed as {@code push} when given.
     */
    public void kernelBootImage(AppBuild app, Optional<String> push) {
        var image = new KernelBootImage(app, host, sink);
        image.requireVmImage();
        image.build();
        push.ifPresent(image::push);
    }

    private Path dependencyRecord() {
        return plan.outputs().dependencyRecord(plan.target());
    }

    /** The package jars of the last build while the lock is the same, else none: what a dry run can know without resolving. */
    List<Path> knownDependencies() {
        return cachedDependencies().orElse(List.of());
    }

    /** The lock file's hash, then one jar per line. */
    private Optional<List<Path>> cachedDependencies() {
        if (config().packages().isEmpty()) return Optional.of(List.of());
        try {
            var record = dependencyRecord();
            if (!Files.isRegularFile(record)
                    || !Files.isRegularFile(plan.outputs().lockFile())) return Optional.empty();
            var lines = Files.readAllLines(record);
            if (lines.isEmpty()
                    || !lines.getFirst()
                            .equals(Fingerprint.sha256(plan.outputs().lockFile()))) return Optional.empty();
            var jars = lines.stream().skip(1).map(Path::of).toList();
            return jars.stream().allMatch(Files::isRegularFile) ? Optional.of(jars) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void recordDependencies(List<Path> jars) {
        if (config().packages().isEmpty()) return;
        try {
            var lines = new ArrayList<String>();
            lines.add(Fingerprint.sha256(plan.outputs().lockFile()));
            jars.forEach(j -> lines.add(j.toAbsolutePath().toString()));
            Files.write(dependencyRecord(), lines);
        } catch (IOException e) {
            // Only a shortcut for the next no-op build: resolving again is correct too.
        }
    }

    /** The app's sources: {@code *.java} beside the conf, and every {@code .java} under {@code src/main/java}. */
    static List<Path> sources(Path appDir) {
        var sources = new ArrayList<>(javaFiles(appDir, 1));
        var tree = appDir.resolve("src/main/java");
        if (Files.isDirectory(tree)) sources.addAll(javaFiles(tree, Integer.MAX_VALUE));
        return sources;
    }

    /** The {@code .java} files under {@code dir} down to {@code depth} (1: the directory's own), sorted. */
    private static List<Path> javaFiles(Path dir, int depth) {
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".java") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new BuildException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code <mirari.home>/<module>/target/<module>-<version>.jar}, which bin/mirari builds. */
    Path runtimeJar(String module) {
        var jar =
                context.home().resolve(module).resolve("target").resolve(module + "-" + ToolVersion.current() + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new BuildException(
                    jar + " is missing; build Mirari first: ./mvnw install -DskipTests (bin/mirari does it by itself)");
        }
        return jar;
    }

    /** The resolved {@code packages} jars, in class path order. */
    List<Path> dependencies() {
        if (config().packages().isEmpty()) return List.of();
        return ResolveStep.classpath(plan, context, sink);
    }
}
