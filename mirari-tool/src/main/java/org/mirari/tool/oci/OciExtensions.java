package org.mirari.tool.oci;

import java.nio.file.Path;
import org.mirari.tool.loader.ModuleLoader;

/**
 * Loads the {@code mirari-oci} module ({@code <mirari.home>/mirari-oci/target/mirari-oci.jar} and
 * the libraries beside it in {@code target/lib}) through {@link ModuleLoader}, on a class loader
 * whose parent is the tool's, so the module sees the tool's types and the tool never loads jib or
 * fabric8 for other commands. Loaded once per process.
 */
public final class OciExtensions {
    private static OciExtension loaded; // guarded by OciExtensions.class

    private OciExtensions() {}

    /** The module's extension, from the checkout at {@code home}. */
    public static synchronized OciExtension load(Path home) {
        if (loaded == null)
            loaded = ModuleLoader.load(
                    home, "mirari-oci", "mirari-oci.jar", OciExtension.class, "OCI image and Kubernetes support");
        return loaded;
    }
}
