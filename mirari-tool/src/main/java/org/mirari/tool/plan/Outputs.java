package org.mirari.tool.plan;

import java.nio.file.Path;
import java.util.List;
import org.mirari.tool.targets.Target;

/**
 * Where every file Mirari writes for one app goes: the one place output names are worked out.
 * Stamped or manifest-recorded files beside the conf ({@code Main.java}, {@code pom.xml},
 * {@code <name>.lock}, {@code mir-<name>}, {@code mir-<name>.vmlinuz}, {@code mir-<name>.initrd},
 * {@code <name>.xl}); everything else under {@code <appdir>/.mirari/}: {@code kv/} (packed stores),
 * {@code <target>/} (each target's build), and the files that say what is up to date.
 *
 * @param appDir the directory holding the conf
 * @param name   the app's name
 */
public record Outputs(Path appDir, String name) {
    /** The file name of the generated entry class, in the default package. */
    public static final String MAIN_JAVA = "Main.java";

    public static final String POM_XML = "pom.xml";

    public Outputs {
        appDir = appDir.toAbsolutePath().normalize();
    }

    /** {@code <appdir>/.mirari}: everything generated that is not a stamped file beside the conf. */
    public Path mirariDir() {
        return appDir.resolve(".mirari");
    }

    /** {@code .mirari/kv}: one packed file per KV store, passed to the app as {@code mirari.kv.dir}. */
    public Path kvDir() {
        return mirariDir().resolve("kv");
    }

    /** {@code .mirari/kv/<store>.kv}. */
    public Path kvStore(String store) {
        return kvDir().resolve(store + ".kv");
    }

    /** {@code .mirari/<target>}: the target's build outputs and records. */
    public Path buildDir(Target target) {
        return mirariDir().resolve(target.switchName());
    }

    /** The directory of the target's app jar: {@code --unix} runs the {@code --socket} build. */
    public Path jarDir(Target target) {
        return buildDir(target == Target.UNIX ? Target.SOCKET : target);
    }

    /** {@code <name>.jar}: the app's classes, compiled for the target. */
    public Path jar(Target target) {
        return jarDir(target).resolve(name + ".jar");
    }

    /** {@code lib/} beside the socket jar: the runtime jars and packages, copied. */
    public Path libDir(Target target) {
        return jarDir(target).resolve("lib");
    }

    /** The JEP 514 AOT cache of a socket run. */
    public Path aotCache(Target target) {
        return jarDir(target).resolve(name + ".aot");
    }

    /** The fingerprint of every input of the target's last build. */
    public Path buildFingerprint(Target target) {
        return jarDir(target).resolve("build.sha256");
    }

    /** The content-hash cache the socket build's fingerprint uses. */
    public Path hashCache(Target target) {
        return jarDir(target).resolve("hashes.txt");
    }

    /** The VM image's manifest ({@code image.properties}). */
    public Path imageManifest(Target target) {
        return buildDir(target).resolve("image.properties");
    }

    /** Where a VM's console is copied while it runs. */
    public Path consoleLog(Target target) {
        return buildDir(target).resolve("console.log");
    }

    /** The resolved package jars of the last build (lock hash, then one jar a line). */
    public Path dependencyRecord(Target target) {
        return buildDir(target).resolve("packages.txt");
    }

    /** Configure's fingerprint. */
    public Path configureStamp() {
        return mirariDir().resolve("configure.sha256");
    }

    /** The SHA-256 of every generated binary beside the conf, which cannot carry a stamp. */
    public Path generatedManifest() {
        return generatedManifest(appDir);
    }

    /** {@link #generatedManifest()} of the app in {@code appDir}, whatever its name. */
    public static Path generatedManifest(Path appDir) {
        return appDir.resolve(".mirari").resolve("generated");
    }

    /** The DHCP server's leases on {@code --unix}. */
    public Path dhcpLeases() {
        return buildDir(Target.UNIX).resolve("dnsmasq.leases");
    }

    public Path mainJava() {
        return appDir.resolve(MAIN_JAVA);
    }

    public Path pomXml() {
        return appDir.resolve(POM_XML);
    }

    public Path lockFile() {
        return appDir.resolve(name + ".lock");
    }

    public Path launcher() {
        return appDir.resolve("mir-" + name);
    }

    public Path vmKernel() {
        return appDir.resolve("mir-" + name + ".vmlinuz");
    }

    public Path vmInitrd() {
        return appDir.resolve("mir-" + name + ".initrd");
    }

    /** {@code --qemu}'s and {@code --xen}'s read-only disk of the guest's runtime (a squashfs image mounted at {@code /jre}). */
    public Path vmRuntimeDisk() {
        return appDir.resolve("mir-" + name + ".jre.sqfs");
    }

    /** {@code --qemu}'s and {@code --xen}'s read-only disk of the app (a squashfs image mounted at {@code /app}). */
    public Path vmAppDisk() {
        return appDir.resolve("mir-" + name + ".app.sqfs");
    }

    /** The {@code --ec2} target's UEFI disk. */
    public Path vmDisk() {
        return appDir.resolve("mir-" + name + ".disk.raw");
    }

    public Path xlFile() {
        return appDir.resolve(name + ".xl");
    }

    /** {@code mir-<name>.oci.tar}: the OCI archive {@code build --oci --tar} copies beside the conf. */
    public Path ociTar() {
        return appDir.resolve("mir-" + name + ".oci.tar");
    }

    /** Every file beside the conf that Mirari may generate (the ones {@code clean} considers). */
    public List<Path> besideConf() {
        return List.of(
                mainJava(),
                pomXml(),
                lockFile(),
                launcher(),
                vmKernel(),
                vmInitrd(),
                vmRuntimeDisk(),
                vmAppDisk(),
                vmDisk(),
                xlFile(),
                ociTar());
    }
}
