package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.OciBackend;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.oci.OciExtensions;
import org.mirari.tool.oci.OciImageSpec;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.targets.Target;

/**
 * {@code mirari build --qemu --kernel-boot}: the built micro-VM image (kernel and initrd beside the
 * conf) as the container disk that the KubeVirt {@code VirtualMachine} of {@code deploy k8s --vm}
 * names, an OCI image from scratch with one layer {@code kernel-boot} holding
 * {@link OciBackend#kernelBootKernel}, {@link OciBackend#kernelBootInitrd} and the two read-only
 * disks ({@link OciBackend#kernelBootDisks}), read-only to all
 * (KubeVirt's launcher reads them as its own user). It runs nothing, so it has no entrypoint. Built
 * by jib-core like the app's image ({@code mirari-oci}), reproducibly, into
 * {@code .mirari/qemu/kernelboot/} and its archive {@code mir-<name>-kernelboot.oci.tar} beside the
 * conf (what {@code podman load} or {@code skopeo copy} takes), or pushed with {@code --push REF}.
 */
record KernelBootImage(AppBuild app, Host host, EventSink events) {

    /** The image as a value: what the tests compare with the KubeVirt manifest's paths. */
    OciImageSpec spec() {
        var labels = new LinkedHashMap<String, String>();
        labels.put("org.opencontainers.image.title", app.name() + "-kernelboot");
        labels.put("org.mirari.version", app.toolVersion());
        try {
            labels.put("org.mirari.conf-sha256", Fingerprint.sha256(app.conf()));
        } catch (IOException e) {
            throw new BuildException("cannot read " + app.conf() + ": " + e.getMessage(), e);
        }
        var disks = OciBackend.kernelBootDisks(app);
        var boot = List.of(
                new OciImageSpec.Entry(app.outputs().vmKernel(), OciBackend.kernelBootKernel(app), 0444),
                new OciImageSpec.Entry(app.outputs().vmInitrd(), OciBackend.kernelBootInitrd(app), 0444),
                new OciImageSpec.Entry(app.outputs().vmRuntimeDisk(), disks.get(0), 0444),
                new OciImageSpec.Entry(app.outputs().vmAppDisk(), disks.get(1), 0444));
        return new OciImageSpec(
                OciBackend.kernelBootReference(app),
                List.of(new OciImageSpec.Layer("kernel-boot", boot)),
                List.of(),
                OciBackend.USER + ":" + OciBackend.USER,
                OptionalInt.empty(),
                labels,
                host.sourceDateEpoch(),
                host.usableCacheDir().resolve("jib"));
    }

    /** Builds it into its layout and archive, and copies the archive beside the conf. */
    void build() {
        long t0 = System.nanoTime();
        var spec = spec();
        Path dir = app.outputs().buildDir(Target.QEMU);
        Path archive = dir.resolve("kernelboot.oci.tar");
        events.emit(new Event.StepStarted("kernel-boot", "container disk " + spec.reference() + " (jib-core)"));
        var image = OciExtensions.load(host.mirariHome()).build(spec, archive, dir.resolve("kernelboot"), events);
        events.emit(new Event.Info("image " + image.digest() + " ("
                + OciBuild.describe(image).get(1).strip() + ")"));
        OciBuild.archiveBesideConf(
                app, archive, app.appDir().resolve("mir-" + app.name() + "-kernelboot.oci.tar"), events);
        events.emit(new Event.StepFinished("kernel-boot", java.time.Duration.ofNanos(System.nanoTime() - t0), false));
    }

    /** Builds it into a registry as {@code reference} (plain HTTP only to loopback, as for the app's image). */
    void push(String reference) {
        var pushed =
                OciExtensions.load(host.mirariHome()).push(spec(), reference, OciBuild.loopback(reference), events);
        events.emit(new Event.Info("pushed " + reference + "@" + pushed.digest()));
    }

    /** The VM image must be there: {@code build --qemu} made it just before. */
    void requireVmImage() {
        for (Path p : List.of(
                app.outputs().vmKernel(),
                app.outputs().vmInitrd(),
                app.outputs().vmRuntimeDisk(),
                app.outputs().vmAppDisk()))
            if (!Files.isRegularFile(p))
                throw new BuildException(p + " is missing; build the VM image first: mirari build --qemu");
    }
}
