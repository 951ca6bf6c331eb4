package org.mirari.tool.resolve;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.error.ResolveException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.plan.Plan;

/**
 * The app's dependencies as the pipeline needs them: {@link #forConfigure} resolves (or re-fetches
 * what the lock file names) and returns the new lock; {@link #classpath} gives the build the jars,
 * from the local repository only.
 */
public final class Dependencies {
    private Dependencies() {}

    /** What configure resolved: the jars and the lock to write. */
    public record Outcome(List<Resolved> jars, LockFile lock) {}

    /**
     * Resolves the plan's packages. When the existing lock file was made for the same packages,
     * fetches exactly its artifacts and checks their SHA-256 (repeatable builds); otherwise
     * resolves transitively and makes a new lock. Also installs Mirari's runtime jars into the
     * local repository for the generated pom.xml.
     *
     * @param home the Mirari checkout holding the runtime jars
     */
    public static Outcome forConfigure(
            Plan plan, ResolverSettings settings, Path home, String version, EventSink sink) {
        var config = plan.config();
        var packages = config.packages().stream().map(Located::value).toList();
        var existing = LockFile.read(plan.outputs().lockFile());
        if (packages.isEmpty() && Resolver.mirariInstalled(settings.localRepo(), home, version)) {
            // Nothing to resolve and Mirari's jars already installed as they are: skip the resolver's start-up.
            return new Outcome(List.of(), new LockFile(List.of(), List.of()));
        }
        requireUsable(settings);
        sink.emit(new Event.StepStarted(
                "resolve",
                packages.isEmpty()
                        ? "installing Mirari's runtime into " + settings.localRepo()
                        : packages.size()
                                + (packages.size() == 1 ? " package" : " packages")
                                + (settings.offline() ? ", offline" : "")));
        try (var resolver = new Resolver(settings, sink)) {
            resolver.installMirari(home, version);
            if (existing.isPresent() && existing.get().packages().equals(packages)) {
                var jars = resolver.fetchLocked(
                        existing.get(), plan.outputs().lockFile().getFileName().toString());
                return new Outcome(jars, existing.get());
            }
            if (existing.isPresent())
                sink.emit(new Event.Info(
                        "packages changed since " + plan.outputs().lockFile().getFileName() + "; resolving again"));
            var jars = resolver.resolve(config.packages(), config.fileName());
            var lock = new LockFile(
                    packages,
                    jars.stream()
                            .map(j -> new LockFile.Locked(j.coordinate(), j.sha256()))
                            .toList());
            return new Outcome(jars, lock);
        } catch (UncheckedIOException e) {
            throw unusable(settings, e);
        }
    }

    /**
     * The jars the app needs, from the local repository alone (no network): exactly the lock
     * file's when it matches the packages, else a transitive resolution of what is there (after
     * {@code configure --no-install}). Fails with what is missing and how to get it.
     */
    public static List<Path> classpath(Plan plan, ResolverSettings settings, EventSink sink) {
        var config = plan.config();
        if (config.packages().isEmpty()) return List.of();
        var packages = config.packages().stream().map(Located::value).toList();
        Optional<LockFile> lock = LockFile.read(plan.outputs().lockFile());
        // Even reading takes the resolver's file locks, which live in the repository.
        requireUsable(settings);
        try (var resolver = new Resolver(settings.withOffline(true), sink)) {
            if (lock.isPresent() && lock.get().packages().equals(packages)) {
                return resolver
                        .fetchLocked(
                                lock.get(),
                                plan.outputs().lockFile().getFileName().toString())
                        .stream()
                        .map(Resolved::file)
                        .toList();
            }
            return resolver.resolve(config.packages(), config.fileName()).stream()
                    .map(Resolved::file)
                    .toList();
        } catch (ResolveException e) {
            throw new ResolveException(
                    e.getMessage() + " (the build uses the local repository " + settings.localRepo()
                            + " only; run mirari configure without --no-install to download what is missing)",
                    e);
        } catch (UncheckedIOException e) {
            throw unusable(settings, e);
        }
    }

    /**
     * How a user points Mirari at another local repository; {@code bin/mirari} passes
     * {@code MIRARI_JAVA_OPTS} to the tool's JVM.
     */
    static final String ELSEWHERE = "point Mirari at a writable one with MIRARI_JAVA_OPTS=-Dmaven.repo.local=DIR,"
            + " <localRepository> in ~/.m2/settings.xml, or a writable HOME";

    /**
     * Fails early, naming the directory, when the local repository cannot be created or written:
     * maven-resolver would otherwise fail deep inside its file locks.
     */
    static void requireUsable(ResolverSettings settings) {
        EnvironmentException.requireWritableDir(settings.localRepo(), "the local Maven repository", ELSEWHERE);
    }

    /** What the resolver's own file I/O failing (its locks, say) means for the user. */
    private static EnvironmentException unusable(ResolverSettings settings, UncheckedIOException e) {
        return new EnvironmentException(
                "cannot use the local Maven repository " + settings.localRepo() + ": "
                        + EnvironmentException.why(settings.localRepo(), e.getCause()) + "; " + ELSEWHERE,
                e);
    }
}
