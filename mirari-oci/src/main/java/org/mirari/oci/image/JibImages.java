package org.mirari.oci.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.oci.OciImage;
import org.mirari.tool.oci.OciImageSpec;

/**
 * Builds the tool's {@link OciImageSpec} with jib-core: from scratch, OCI media types, the spec's
 * time as the creation time and every file's mtime, so the same inputs give the same digest (jib
 * sorts each layer's entries and zeroes owners; see its {@code ReproducibleLayerBuilder}).
 */
public final class JibImages {
    private JibImages() {}

    /** Writes the OCI archive with jib, then unpacks it into {@code layout}, replacing what was there. */
    public static OciImage build(OciImageSpec spec, Path archive, Path layout, EventSink events) {
        try {
            Files.createDirectories(archive.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(archive.toAbsolutePath().getParent(), "." + archive.getFileName(), ".tmp");
            tmp.toFile().deleteOnExit();
            try {
                var target = TarImage.at(tmp).named(ImageReference.parse(spec.reference()));
                containerize(spec, Containerizer.to(target).setOfflineMode(true), spec.reference(), events);
                Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            LayoutUnpacker.extractArchive(archive, layout);
            return read(layout, spec);
        } catch (IOException e) {
            throw new BuildException("building the OCI image failed: " + e.getMessage(), e);
        } catch (InvalidImageReferenceException e) {
            throw new BuildException("bad image name " + spec.reference() + ": " + e.getMessage(), e);
        }
    }

    /** Builds the same image into a registry. */
    public static OciImage push(OciImageSpec spec, String reference, boolean insecure, EventSink events) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (InvalidImageReferenceException e) {
            throw new BuildException("--push " + reference + " is not an image reference; use e.g. "
                    + "registry.example.com:5000/team/" + "app:1.0");
        }
        Consumer<LogEvent> log = e -> {
            if (e.getLevel() == LogEvent.Level.WARN) events.emit(new Event.Warning(e.getMessage()));
        };
        var credentials = CredentialRetrieverFactory.forImage(ref, log);
        var image = RegistryImage.named(ref);
        // Docker's rule: $DOCKER_CONFIG/config.json when it is set, else ~/.docker/config.json (jib
        // reads only the latter); then the credential helpers jib knows.
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        image.addCredentialRetriever(
                dockerConfig == null || dockerConfig.isBlank()
                        ? credentials.dockerConfig()
                        : credentials.dockerConfig(Path.of(dockerConfig, "config.json")));
        image.addCredentialRetriever(credentials.wellKnownCredentialHelpers());
        if (insecure) {
            // A registry on loopback speaks plain HTTP, and its credentials never leave this
            // machine: jib sends them only when told so (a system property it reads per request).
            System.setProperty(
                    com.google.cloud.tools.jib.global.JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP, "true");
        }
        var containerizer = Containerizer.to(image).setAllowInsecureRegistries(insecure);
        try {
            String digest = containerize(spec, containerizer, reference, events);
            return new OciImage(digest, List.of());
        } catch (IOException e) {
            throw new BuildException("pushing to " + reference + " failed: " + e.getMessage(), e);
        } catch (BackendException | BuildException e) {
            throw e;
        }
    }

    private static String containerize(OciImageSpec spec, Containerizer containerizer, String image, EventSink events)
            throws IOException {
        containerizer
                .setBaseImageLayersCache(spec.cacheDir())
                .setApplicationLayersCache(spec.cacheDir())
                .setToolName("mirari")
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.WARN) events.emit(new Event.Warning(e.getMessage()));
                });
        try {
            return builder(spec).containerize(containerizer).getDigest().toString();
        } catch (ExecutionException e) {
            throw failure(image, e.getCause() == null ? e : e.getCause());
        } catch (RegistryException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
            throw failure(image, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted", e);
        }
    }

    /** jib's failures as the tool's, with what to do. */
    private static RuntimeException failure(String image, Throwable e) {
        return switch (e) {
            case RegistryUnauthorizedException u ->
                new BackendException("the registry refused " + image + " (unauthorized: " + u.getMessage()
                        + "); log in first so that ~/.docker/config.json holds credentials for it"
                        + " (podman login --authfile ~/.docker/config.json REGISTRY), or name a credential"
                        + " helper there (credHelpers)");
            case com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException a ->
                new BackendException("no credentials for " + image + ": " + a.getMessage()
                        + "; log in first (podman login --authfile ~/.docker/config.json)");
            case ConnectException c ->
                new BackendException("cannot reach the registry of " + image + " (" + c.getMessage()
                        + "); is it running, and is the host:port right?");
            case UnknownHostException u ->
                new BackendException("cannot resolve the registry host of " + image + " (" + u.getMessage() + ")");
            case com.google.cloud.tools.jib.api.InsecureRegistryException i ->
                new BackendException("the registry of " + image + " speaks plain HTTP or has an untrusted certificate;"
                        + " for a registry on loopback this is allowed, elsewhere give it a trusted TLS certificate");
            default -> {
                var cause = e;
                while (cause.getCause() != null && cause.getCause() != cause) {
                    if (cause instanceof ConnectException) break;
                    cause = cause.getCause();
                }
                if (cause instanceof ConnectException c) yield failure(image, c);
                yield new BuildException("building " + image + " failed: " + e, e);
            }
        };
    }

    static JibContainerBuilder builder(OciImageSpec spec) {
        var time = Instant.ofEpochSecond(spec.created());
        var builder = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .setCreationTime(time)
                .setEntrypoint(spec.entrypoint())
                .setUser(spec.user())
                .setProgramArguments(List.of())
                .setLabels(spec.labels())
                .setWorkingDirectory(AbsoluteUnixPath.get("/"));
        spec.exposedPort().ifPresent(p -> builder.addExposedPort(Port.tcp(p)));
        for (var layer : spec.layers()) {
            var b = FileEntriesLayer.builder().setName(layer.name());
            for (var e : layer.entries()) {
                b.addEntry(new FileEntry(
                        e.source(),
                        AbsoluteUnixPath.get(e.path()),
                        FilePermissions.fromOctalString(Integer.toOctalString(e.mode() & 0777)),
                        time,
                        "0:0"));
            }
            builder.addFileEntriesLayer(b.build());
        }
        return builder;
    }

    /** The image the layout holds: its manifest's digest and its layers' sizes, named as the spec names them. */
    static OciImage read(Path layout, OciImageSpec spec) throws IOException {
        var index = JsonTemplateMapper.readJsonFromFile(layout.resolve("index.json"), OciIndexTemplate.class);
        String digest = index.getManifests().getFirst().getDigest().toString();
        var manifest =
                JsonTemplateMapper.readJsonFromFile(LayoutUnpacker.blob(layout, digest), OciManifestTemplate.class);
        var layers = new ArrayList<OciImage.LayerBlob>();
        var descriptors = manifest.getLayers();
        for (int i = 0; i < descriptors.size(); i++) {
            var d = descriptors.get(i);
            String name = i < spec.layers().size() ? spec.layers().get(i).name() : "layer " + i;
            layers.add(new OciImage.LayerBlob(name, d.getDigest().toString(), d.getSize()));
        }
        return new OciImage(digest, layers);
    }
}
