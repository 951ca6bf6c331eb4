package org.mirari.tool.uefi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk as the host's own tools read it: {@code sgdisk} (the GPT), {@code fsck.fat} and mtools
 * (the FAT) and {@code objdump} (the unified kernel image's sections), from systemd's real stub.
 */
class UefiDiskTest {
    static final Path STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");

    @TempDir
    Path dir;

    UefiDisk.Contents contents() throws IOException {
        assumeThat(Files.isRegularFile(STUB))
                .as("systemd-boot-efi's stub (apt-get install systemd-boot-efi)")
                .isTrue();
        var random = new Random(14);
        byte[] kernel = new byte[3_000_001];
        byte[] initrd = new byte[5_000_000];
        random.nextBytes(kernel);
        random.nextBytes(initrd);
        return new UefiDisk.Contents(
                Files.readAllBytes(STUB), kernel, initrd, "console=ttyS0 -- http-port=8080", "ID=mirari\n");
    }

    static String run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    static boolean has(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool))
                || Files.isExecutable(Path.of("/usr/sbin", tool))
                || Files.isExecutable(Path.of("/sbin", tool));
    }

    @Test
    void theHostsToolsReadTheDiskAndTheSameInputsGiveTheSameBytes() throws Exception {
        var c = contents();
        Path a = dir.resolve("a.raw");
        Path b = dir.resolve("b.raw");
        var disk = UefiDisk.write(a, c, 1_700_000_000L, 0);
        UefiDisk.write(b, c, 1_700_000_000L, 0);
        assertThat(disk.bytes()).isEqualTo(UefiDisk.GIB);
        assertThat(Files.size(a)).isEqualTo(UefiDisk.GIB);
        assertThat(Files.mismatch(a, b)).as("the same bytes").isEqualTo(-1L);
        // Sparse: the GiB costs the partition's blocks only.
        assertThat((long) Files.getAttribute(a, "unix:size")).isEqualTo(UefiDisk.GIB);

        assumeThat(has("sgdisk")).as("sgdisk (apt-get install gdisk)").isTrue();
        String gpt = run("sgdisk", "-p", a.toString());
        assertThat(gpt).containsPattern("\\s1\\s+2048\\s+\\d+\\s+[\\d.]+ MiB\\s+EF00\\s+EFI System Partition");
        assertThat(gpt).contains("Disk identifier (GUID): " + disk.diskGuid());
        assertThat(run("sgdisk", "-v", a.toString())).contains("No problems found");

        if (has("fsck.fat")) {
            Path esp = dir.resolve("esp.fat");
            try (var in = java.nio.channels.FileChannel.open(a);
                    var o = java.nio.channels.FileChannel.open(
                            esp, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
                in.transferTo(1 << 20, disk.espBytes(), o);
            }
            assertThat(run("fsck.fat", "-n", "-v", esp.toString()))
                    .contains("32 bit entries", "2048 hidden sectors", "4 files") // the label, two directories, the UKI
                    .doesNotContain("Reclaimed", "differ", "Free cluster summary wrong");
        }
        if (has("mcopy")) {
            Path uki = dir.resolve("BOOTX64.EFI");
            run("mcopy", "-n", "-i", a + "@@1M", "::/EFI/BOOT/BOOTX64.EFI", uki.toString());
            assertThat(Files.size(uki)).isEqualTo(disk.ukiBytes());
            if (has("objdump")) {
                String sections = run("objdump", "-h", uki.toString());
                for (String s : List.of(".osrel", ".cmdline", ".linux", ".initrd"))
                    assertThat(sections).contains(s);
                assertThat(run("objdump", "-p", uki.toString())).contains("Time/Date\t\tThu Jan  1 00:00:00 1970");
            }
            byte[] bytes = Files.readAllBytes(uki);
            assertThat(indexOf(bytes, c.kernel())).isPositive();
            assertThat(indexOf(bytes, "console=ttyS0 -- http-port=8080".getBytes(StandardCharsets.US_ASCII)))
                    .isPositive();
        }
    }

    @Test
    void anotherTimeOrContentGivesAnotherDisk() throws Exception {
        var c = contents();
        Path a = dir.resolve("a.raw");
        Path b = dir.resolve("b.raw");
        var one = UefiDisk.write(a, c, 0, 0);
        var two = UefiDisk.write(
                b, new UefiDisk.Contents(c.stub(), c.kernel(), c.initrd(), c.cmdline() + " x", c.osRelease()), 0, 0);
        assertThat(one.diskGuid()).isNotEqualTo(two.diskGuid());
        assertThat(Files.mismatch(a, b)).isNotEqualTo(-1L);
    }

    @Test
    void aLargerMinimumGivesMoreWholeGib() throws Exception {
        var disk = UefiDisk.write(dir.resolve("c.raw"), contents(), 0, UefiDisk.GIB + 1);
        assertThat(disk.bytes()).isEqualTo(2 * UefiDisk.GIB);
        assertThat(Files.size(disk.file())).isEqualTo(2 * UefiDisk.GIB);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < Math.min(needle.length, 64); j++) if (hay[i + j] != needle[j]) continue outer;
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        return -1;
    }

    static String sha256(Path file) throws Exception {
        var md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
