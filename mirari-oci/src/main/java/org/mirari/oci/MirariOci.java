package org.mirari.oci;

import java.nio.file.Path;
import org.mirari.oci.image.JibImages;
import org.mirari.oci.image.LayoutUnpacker;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.oci.OciExtension;
import org.mirari.tool.oci.OciImage;
import org.mirari.tool.oci.OciImageSpec;

/** The module's implementation of the tool's extension, found by {@link java.util.ServiceLoader}. */
public final class MirariOci implements OciExtension {

    @Override
    public OciImage build(OciImageSpec spec, Path archive, Path layout, EventSink events) {
        return JibImages.build(spec, archive, layout, events);
    }

    @Override
    public OciImage push(OciImageSpec spec, String reference, boolean insecure, EventSink events) {
        return JibImages.push(spec, reference, insecure, events);
    }

    @Override
    public java.util.List<String> apply(Path kubeconfig, Deployment deployment, EventSink events) {
        return org.mirari.oci.k8s.Fabric8Deploy.apply(kubeconfig, deployment, events);
    }

    @Override
    public void unpack(Path layout, Path rootfs) {
        LayoutUnpacker.unpack(layout, rootfs);
    }
}
