package org.mirari.tool.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.installation.InstallRequest;
import org.eclipse.aether.installation.InstallationException;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.mirari.tool.config.Coordinate;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.error.ResolveException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.scratch.Scratch;

/**
 * One maven-resolver session: transitive resolution of runtime-scope dependencies with checksum
 * policy {@code fail} (a corrupt or tampered download is an error, not a warning), exact fetches
 * of locked artifacts with their SHA-256 checked, and installation into the local repository.
 */
public final class Resolver implements AutoCloseable {
    private final ResolverSettings settings;
    private final RepositorySystem system;
    private final RepositorySystemSession.CloseableSession session;
    private final List<RemoteRepository> repositories;

    public Resolver(ResolverSettings settings, EventSink sink) {
        this.settings = settings;
        this.system = new RepositorySystemSupplier().get();
        var mirrors = new DefaultMirrorSelector();
        for (var m : settings.mirrors()) mirrors.add(m.id(), m.url(), "default", false, false, m.mirrorOf(), "*");
        this.session = new SessionBuilderSupplier(system)
                .get()
                .withLocalRepositoryBaseDirectories(settings.localRepo())
                .setOffline(settings.offline())
                .setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL)
                .setMirrorSelector(mirrors)
                .setSystemProperties(settings.systemProperties())
                .setTransferListener(new AbstractTransferListener() {
                    @Override
                    public void transferInitiated(TransferEvent event) {
                        // Neither a Ctrl-C mid-download nor an earlier run's SIGKILL may leave a partial
                        // file in the local repository. maven-resolver holds its exclusive file lock on
                        // the artifact while it downloads (before its own temporary file exists), so a
                        // partial one now is a dead run's.
                        var file = event.getResource().getPath();
                        if (file != null && event.getRequestType() == TransferEvent.RequestType.GET)
                            Scratch.downloading(file);
                    }

                    @Override
                    public void transferProgressed(TransferEvent event) {
                        // For a progress bar on a terminal (bytes, time left); renderers throttle.
                        if (event.getRequestType() == TransferEvent.RequestType.GET)
                            sink.emit(new Event.Progress(
                                    "resolve",
                                    event.getResource().getResourceName(),
                                    event.getTransferredBytes(),
                                    event.getResource().getContentLength()));
                    }

                    @Override
                    public void transferSucceeded(TransferEvent event) {
                        if (event.getRequestType() == TransferEvent.RequestType.GET
                                && event.getTransferredBytes() > 0) {
                            var r = event.getResource();
                            sink.emit(new Event.Info("downloaded " + r.getRepositoryUrl() + r.getResourceName() + " ("
                                    + event.getTransferredBytes() / 1024 + " KiB)"));
                        }
                    }
                })
                .build();
        var policy =
                new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_FAIL);
        var remotes = settings.remotes().stream()
                .map(r -> new RemoteRepository.Builder(r.id(), "default", r.url())
                        .setPolicy(policy)
                        .setSnapshotPolicy(new RepositoryPolicy(
                                false, RepositoryPolicy.UPDATE_POLICY_NEVER, RepositoryPolicy.CHECKSUM_POLICY_FAIL))
                        .build())
                .toList();
        this.repositories = system.newResolutionRepositories(session, remotes);
    }

    /**
     * Resolves packages and everything they need at run time (Maven's runtime scope, conflicts
     * resolved nearest-first as Maven does).
     *
     * @param confName the conf file's name, for messages positioned at the package
     */
    public List<Resolved> resolve(List<Located<Coordinate>> packages, String confName) {
        if (packages.isEmpty()) return List.of();
        var collect = new CollectRequest();
        for (var p : packages) collect.addDependency(new Dependency(artifact(p.value()), "runtime"));
        collect.setRepositories(repositories);
        try {
            var result = system.resolveDependencies(
                    session, new DependencyRequest(collect, DependencyFilterUtils.classpathFilter("runtime")));
            var out = new ArrayList<Resolved>();
            for (var r : result.getArtifactResults()) out.add(resolved(r.getArtifact()));
            return out;
        } catch (DependencyResolutionException e) {
            throw failure(packages, confName, e);
        }
    }

    /** Fetches exactly the locked artifacts and checks each one's SHA-256 against the lock. */
    public List<Resolved> fetchLocked(LockFile lock, String lockName) {
        var requests = lock.artifacts().stream()
                .map(l -> new ArtifactRequest(artifact(l.coordinate()), repositories, null))
                .toList();
        List<ArtifactResult> results;
        try {
            results = system.resolveArtifacts(session, requests);
        } catch (ArtifactResolutionException e) {
            var explained = explain(e);
            throw new ResolveException(
                    lockName + ": cannot fetch a locked artifact: "
                            + explained.orElseGet(() -> rootMessage(e) + "; " + advice()) + "; or delete "
                            + lockName + " to resolve again",
                    e);
        }
        var out = new ArrayList<Resolved>();
        for (int i = 0; i < results.size(); i++) {
            var got = resolved(results.get(i).getArtifact());
            var want = lock.artifacts().get(i);
            if (!got.sha256().equals(want.sha256())) {
                throw new ResolveException(lockName + ": " + want.coordinate() + " has SHA-256 " + got.sha256() + " in "
                        + got.file() + " but the lock file says " + want.sha256()
                        + "; the local copy is corrupt or the artifact changed: delete that file to download it again, or delete "
                        + lockName + " to resolve anew");
            }
            out.add(got);
        }
        return out;
    }

    /**
     * Installs Mirari's own artifacts (the parent pom, mirari-runtime and mirari-net jars with
     * their poms) from the checkout at {@code home} into the local repository, so the generated
     * pom.xml builds with a plain {@code mvn package}.
     */
    public void installMirari(Path home, String version) {
        var request = new InstallRequest();
        request.addArtifact(new DefaultArtifact("org.mirari", "mirari-parent", "", "pom", version)
                .setPath(home.resolve("pom.xml")));
        for (var module : List.of("mirari-runtime", "mirari-net")) {
            var jar = home.resolve(module + "/target/" + module + "-" + version + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new BuildException("Mirari's " + module + " jar is missing (" + jar
                        + "); build Mirari first: ./mvnw install in " + home);
            }
            request.addArtifact(new DefaultArtifact("org.mirari", module, "", "jar", version).setPath(jar));
            request.addArtifact(new DefaultArtifact("org.mirari", module, "", "pom", version)
                    .setPath(home.resolve(module + "/pom.xml")));
        }
        try {
            system.install(session, request);
        } catch (InstallationException e) {
            throw new ResolveException(
                    "cannot install Mirari's runtime into " + settings.localRepo() + " (" + rootMessage(e)
                            + "); check that directory's permissions",
                    e);
        }
    }

    /** Whether the local repository holds Mirari's artifacts byte for byte as they are in {@code home}. */
    static boolean mirariInstalled(Path localRepo, Path home, String version) {
        var base = localRepo.resolve("org/mirari");
        var pairs = new java.util.LinkedHashMap<Path, Path>();
        pairs.put(
                home.resolve("pom.xml"),
                base.resolve("mirari-parent/" + version + "/mirari-parent-" + version + ".pom"));
        for (var module : List.of("mirari-runtime", "mirari-net")) {
            var dir = base.resolve(module + "/" + version + "/");
            pairs.put(
                    home.resolve(module + "/target/" + module + "-" + version + ".jar"),
                    dir.resolve(module + "-" + version + ".jar"));
            pairs.put(home.resolve(module + "/pom.xml"), dir.resolve(module + "-" + version + ".pom"));
        }
        try {
            for (var e : pairs.entrySet()) {
                if (!Files.isRegularFile(e.getKey())
                        || !Files.isRegularFile(e.getValue())
                        || Files.mismatch(e.getKey(), e.getValue()) != -1) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        session.close();
        system.shutdown();
    }

    private static DefaultArtifact artifact(Coordinate c) {
        return new DefaultArtifact(c.groupId(), c.artifactId(), "jar", c.version());
    }

    private static Resolved resolved(Artifact a) {
        var file = a.getPath();
        return new Resolved(new Coordinate(a.getGroupId(), a.getArtifactId(), a.getBaseVersion()), file, sha256(file));
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            var md = MessageDigest.getInstance("SHA-256");
            var buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ResolveException("cannot read " + file + " (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What went wrong in words a user can act on, when the failure is one of the machine's: a
     * repository that cannot be reached (the network, a mirror that is down), or an artifact that
     * the local repository lacks with {@code --offline}. Empty for anything else (a wrong coordinate...).
     */
    java.util.Optional<String> explain(Throwable e) {
        for (var t : causes(e)) {
            if (t instanceof ArtifactTransferException x && x.getRepository() instanceof RemoteRepository r) {
                // Offline: what the local repository lacks, and where it would come from otherwise.
                if (settings.offline() && x.getArtifact() != null) {
                    return java.util.Optional.of(x.getArtifact() + " is not in the local repository "
                            + settings.localRepo() + ", and --offline downloads nothing (it would come from "
                            + r.getId() + ", " + r.getUrl() + "); configure once without --offline");
                }
                if (settings.offline()) return java.util.Optional.empty();
                var down = causes(x).stream()
                        .filter(c -> c instanceof java.net.ConnectException
                                || c instanceof java.net.UnknownHostException
                                || c instanceof java.net.SocketTimeoutException
                                || c instanceof java.net.NoRouteToHostException)
                        .findFirst();
                if (down.isPresent()) {
                    var mirror = r.getMirroredRepositories().isEmpty()
                            ? ""
                            : ", the mirror of "
                                    + String.join(
                                            ", ",
                                            r.getMirroredRepositories().stream()
                                                    .map(RemoteRepository::getId)
                                                    .toList());
                    return java.util.Optional.of("the repository " + r.getId() + " (" + r.getUrl() + mirror
                            + ") cannot be reached (" + reachability(down.get()) + "); check the network"
                            + (mirror.isEmpty() ? "" : " and the <mirror> in ~/.m2/settings.xml")
                            + ", or configure --offline to use only the local repository " + settings.localRepo());
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static String reachability(Throwable t) {
        return switch (t) {
            case java.net.UnknownHostException u -> "unknown host " + u.getMessage();
            case java.net.SocketTimeoutException s -> "timed out";
            case java.net.NoRouteToHostException n -> "no route to host";
            default ->
                String.valueOf(t.getMessage())
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains("refused")
                        ? "connection refused"
                        : String.valueOf(t.getMessage());
        };
    }

    /** {@code e}, its causes, and the per-artifact exceptions a resolution result carries, in that order. */
    private static List<Throwable> causes(Throwable e) {
        var out = new ArrayList<Throwable>();
        var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<Throwable, Boolean>());
        var todo = new java.util.ArrayDeque<Throwable>(List.of(e));
        while (!todo.isEmpty()) {
            var t = todo.poll();
            if (!seen.add(t)) continue;
            out.add(t);
            if (t.getCause() != null) todo.add(t.getCause());
            if (t instanceof DependencyResolutionException d && d.getResult() != null) {
                d.getResult().getArtifactResults().forEach(r -> todo.addAll(r.getExceptions()));
            }
            if (t instanceof ArtifactResolutionException a) {
                a.getResults().forEach(r -> todo.addAll(r.getExceptions()));
            }
        }
        return out;
    }

    /** Names the package the failure is about (at its conf position) and what to do. */
    private ResolveException failure(List<Located<Coordinate>> packages, String confName, Exception e) {
        var explained = explain(e);
        var message = explained.orElseGet(() -> rootMessage(e));
        for (var p : packages) {
            var c = p.value();
            if (rootMessage(e).contains(c.groupId() + ":" + c.artifactId())) {
                var where = confName + ":" + p.at().line() + ":" + p.at().col();
                if (p.at().file().equals(org.mirari.tool.config.Position.SET)) where = p.at().toString();
                return new ResolveException(
                        where + ": packages " + c + " cannot be resolved: " + message
                                + (explained.isPresent() ? "" : "; " + advice()),
                        e);
            }
        }
        return new ResolveException(
                "packages cannot be resolved: " + message + (explained.isPresent() ? "" : "; " + advice()), e);
    }

    private String advice() {
        return settings.offline()
                ? "offline, only the local repository " + settings.localRepo()
                        + " is used: configure once without --offline"
                : "check the coordinate and version on https://central.sonatype.com and the network";
    }

    static String rootMessage(Throwable e) {
        // The deepest message that says which artifact failed; resolver nests them.
        String best = e.getMessage();
        for (var t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) best = t.getMessage();
        }
        if (e instanceof DependencyResolutionException d && d.getResult() != null) {
            for (var r : d.getResult().getArtifactResults()) {
                for (var x : r.getExceptions()) {
                    if (x.getMessage() != null) return x.getMessage();
                }
            }
        }
        return best == null ? e.getClass().getSimpleName() : best.replaceAll("\\s+", " ");
    }
}
