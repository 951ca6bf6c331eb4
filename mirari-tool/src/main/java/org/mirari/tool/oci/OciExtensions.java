package org.mirari.tool.oci;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.mirari.tool.error.BuildException;

/**
 * Loads the {@code mirari-oci} module: {@code <mirari.home>/mirari-oci/target/mirari-oci.jar} and
 * the libraries beside it in {@code target/lib}, on a class loader whose parent is the tool's, so
 * the module sees the tool's types and the tool never loads jib or fabric8 for other commands.
 */
public final class OciExtensions {
    private static OciExtension loaded; // guarded by OciExtensions.class

    private OciExtensions() {}

    /** The module's extension, loaded once per process from the checkout at {@code home}. */
    public static synchronized OciExtension load(Path home) {
        if (loaded != null) return loaded;
        Path target = home.resolve("mirari-oci").resolve("target");
        Path jar = target.resolve("mirari-oci.jar");
        Path lib = target.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new BuildException(jar + " (or " + lib + ") is missing; the OCI target needs the mirari-oci module: "
                    + "./mvnw install -DskipTests (bin/mirari does it by itself)");
        }
        var urls = new ArrayList<URL>();
        try (Stream<Path> jars = Files.list(lib)) {
            urls.add(jar.toUri().toURL());
            for (Path j :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList())
                urls.add(j.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new BuildException("cannot list " + lib + ": " + e.getMessage(), e);
        }
        var loader = new URLClassLoader("mirari-oci", urls.toArray(URL[]::new), OciExtension.class.getClassLoader());
        loaded = ServiceLoader.load(OciExtension.class, loader)
                .findFirst()
                .orElseThrow(() -> new BuildException(jar + " provides no " + OciExtension.class.getName()
                        + "; rebuild Mirari: ./mvnw install -DskipTests"));
        return loaded;
    }
}
