package org.mirari.tool.oci;

import java.util.List;
import java.util.Objects;

/**
 * A built OCI image.
 *
 * @param digest the manifest's digest ({@code sha256:...}): what a registry and {@code skopeo} name it by
 * @param layers its layers, bottom to top
 */
public record OciImage(String digest, List<LayerBlob> layers) {
    public OciImage {
        Objects.requireNonNull(digest, "digest");
        layers = List.copyOf(layers);
    }

    /** The compressed size of every layer together. */
    public long bytes() {
        return layers.stream().mapToLong(LayerBlob::bytes).sum();
    }

    /**
     * One layer blob.
     *
     * @param name  the layer's name (its {@code comment} in the image's history)
     * @param bytes its compressed (gzip) size
     */
    public record LayerBlob(String name, String digest, long bytes) {}
}
