package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KVM probe's decisions, with shell scripts standing in for QEMU (a real QEMU boots in
 * {@code QemuIT}, which hangs if the probe picks a KVM that cannot boot the kernel).
 */
class KvmProbeTest {
    @TempDir
    Path tmp;

    Path qemu(String body) throws Exception {
        Path script = tmp.resolve("qemu-" + Integer.toHexString(body.hashCode()));
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    Path kernel() throws Exception {
        return Files.writeString(tmp.resolve("vmlinuz"), "not really a kernel");
    }

    @Test
    void aKernelThatPrintsItsBannerMeansKvm() throws Exception {
        var qemu = qemu("echo 'Booting...'; echo '[    0.000000] Linux version 6.1.0-cloud-amd64'; exec sleep 30");
        long start = System.nanoTime();
        assertThat(KvmProbe.kernelPrintsUnderKvm(qemu.toString(), kernel(), Duration.ofSeconds(20)))
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("answers at the banner, not at the limit")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aGuestThatStaysSilentMeansTcgAtTheLimit() throws Exception {
        // kvm-pvm: QEMU runs, the guest never prints
        var qemu = qemu("exec sleep 30");
        long start = System.nanoTime();
        assertThat(KvmProbe.kernelPrintsUnderKvm(qemu.toString(), kernel(), Duration.ofMillis(300)))
                .isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aQemuThatFailsAtOnceMeansTcg() throws Exception {
        var qemu = qemu("echo 'qemu-system-x86_64: error: failed to set MSR 0x48b to 0x1' >&2; exit 1");
        assertThat(KvmProbe.kernelPrintsUnderKvm(qemu.toString(), kernel(), Duration.ofSeconds(20)))
                .isFalse();
        assertThat(KvmProbe.kernelPrintsUnderKvm(tmp.resolve("absent").toString(), kernel(), Duration.ofSeconds(20)))
                .isFalse();
    }

    @Test
    void noDeviceMeansTcgWithoutStartingQemu() throws Exception {
        var marker = tmp.resolve("started");
        var qemu = qemu("touch " + marker + "; echo 'Linux version 6.1'");
        assertThat(KvmProbe.accelerator(qemu.toString(), kernel(), tmp.resolve("cache"), tmp.resolve("no-kvm")))
                .isEqualTo("tcg");
        assertThat(marker).doesNotExist();
    }

    @Test
    void theAnswerIsKeptAndUsedUntilTheKernelChanges() throws Exception {
        var device = Files.createFile(tmp.resolve("kvm"));
        var count = tmp.resolve("count");
        var qemu = qemu("echo x >> " + count + "; echo 'Linux version 6.1'; exec sleep 30");
        var kernel = kernel();
        var cache = tmp.resolve("cache");
        assertThat(KvmProbe.accelerator(qemu.toString(), kernel, cache, device)).isEqualTo("kvm");
        assertThat(KvmProbe.accelerator(qemu.toString(), kernel, cache, device)).isEqualTo("kvm");
        assertThat(Files.readAllLines(count)).as("one probe for two runs").hasSize(1);
        try (var kept = Files.list(cache.resolve("kvm-probe"))) {
            assertThat(kept.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .allMatch(n -> n.matches("[0-9a-f]{64}"));
        }

        Files.setLastModifiedTime(
                kernel, FileTime.fromMillis(Files.getLastModifiedTime(kernel).toMillis() - 60_000));
        assertThat(KvmProbe.accelerator(qemu.toString(), kernel, cache, device)).isEqualTo("kvm");
        assertThat(Files.readAllLines(count))
                .as("another kernel is probed again")
                .hasSize(2);
    }

    @Test
    void theKeyCoversQemuAndTheKernel() throws Exception {
        var kernel = kernel();
        var qemu = qemu("true");
        String key = KvmProbe.key(qemu.toString(), kernel);
        assertThat(KvmProbe.key(qemu.toString(), kernel)).isEqualTo(key).matches("[0-9a-f]{64}");
        assertThat(KvmProbe.key(qemu("false").toString(), kernel)).isNotEqualTo(key);
        Files.writeString(kernel, "another kernel, of another size");
        assertThat(KvmProbe.key(qemu.toString(), kernel)).isNotEqualTo(key);
    }

    @Test
    void theProbeStartsQemuAsTheRunDoesUnderKvm() {
        var probe = KvmProbe.command("/usr/bin/qemu-system-x86_64", Path.of("/k/vmlinuz"));
        assertThat(probe)
                .startsWith(VmGuest.microvm("/usr/bin/qemu-system-x86_64", "kvm", 64)
                        .toArray(String[]::new))
                .containsSubsequence("-cpu", "host", "-serial", "stdio", "-kernel", "/k/vmlinuz")
                .endsWith("console=ttyS0 earlyprintk=serial,ttyS0 panic=-1");
    }
}
