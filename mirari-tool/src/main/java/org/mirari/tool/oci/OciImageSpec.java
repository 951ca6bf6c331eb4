package org.mirari.tool.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an OCI image holds, as a value: its layers bottom to top (each a list of files at their
 * paths in the image), the entrypoint, the exposed port, labels and the creation time. The image
 * starts from scratch (no base image), so these files are the whole root file system.
 *
 * @param reference    the image's name in the layout and the archive ({@code mirari/hello:latest})
 * @param user         the user its process runs as ({@code uid:gid})
 * @param created      seconds since the epoch: the image's creation time and every file's mtime
 * @param cacheDir     where the image library keeps its layer cache
 */
public record OciImageSpec(
        String reference,
        List<Layer> layers,
        List<String> entrypoint,
        String user,
        OptionalInt exposedPort,
        Map<String, String> labels,
        long created,
        Path cacheDir) {
    public OciImageSpec {
        Objects.requireNonNull(reference, "reference");
        layers = List.copyOf(layers);
        entrypoint = List.copyOf(entrypoint);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(exposedPort, "exposedPort");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /**
     * One layer.
     *
     * @param name what the layer holds ({@code runtime}, {@code dependencies}, {@code kv-stores}, {@code app}, {@code aot-cache})
     */
    public record Layer(String name, List<Entry> entries) {
        public Layer {
            Objects.requireNonNull(name, "name");
            entries = List.copyOf(entries);
        }
    }

    /**
     * A file or directory of a layer.
     *
     * @param source   the file on this machine (a directory makes an empty directory)
     * @param path     its absolute path in the image
     * @param mode     its permission bits ({@code 0755})
     */
    public record Entry(Path source, String path, int mode) {
        public Entry {
            Objects.requireNonNull(source, "source");
            if (!path.startsWith("/")) throw new IllegalArgumentException("not absolute: " + path);
        }
    }
}
