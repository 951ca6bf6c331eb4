package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsTest {
    @TempDir
    Path dir;

    private Initramfs sample() throws Exception {
        Path host = Files.createDirectories(dir.resolve("tree/bin"));
        Files.writeString(host.resolve("tool"), "#!/bin/sh\n");
        host.resolve("tool").toFile().setExecutable(true);
        Files.writeString(dir.resolve("tree/readme.txt"), "hello");
        if (!Files.isSymbolicLink(dir.resolve("tree/link")))
            Files.createSymbolicLink(dir.resolve("tree/link"), Path.of("readme.txt"));
        return new Initramfs()
                .addText("/etc/mirari/modules", 0644, "/lib/modules/x/virtio.ko\n")
                .addTree("/jre", dir.resolve("tree"))
                .add(new InitramfsEntry.CharDevice("/dev/console", 0600, 5, 1))
                .addText("/init", 0755, "#!/bin/busybox sh\n");
    }

    private static byte[] cpio(Initramfs fs, long mtime) throws Exception {
        var out = new ByteArrayOutputStream();
        fs.writeCpio(out, mtime);
        return out.toByteArray();
    }

    @Test
    void writesSortedNewcEntriesWithParentsFixedOwnersAndTimes() throws Exception {
        var entries = new ArrayList<CpioArchiveEntry>();
        var contents = new ArrayList<String>();
        try (var in = new CpioArchiveInputStream(new ByteArrayInputStream(cpio(sample(), 1_700_000_000L)))) {
            for (CpioArchiveEntry e; (e = in.getNextCPIOEntry()) != null; ) {
                entries.add(e);
                contents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries)
                .extracting(CpioArchiveEntry::getName)
                .containsExactly(
                        "dev",
                        "dev/console",
                        "etc",
                        "etc/mirari",
                        "etc/mirari/modules",
                        "init",
                        "jre",
                        "jre/bin",
                        "jre/bin/tool",
                        "jre/link",
                        "jre/readme.txt");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
            assertThat(e.getUID()).isZero();
            assertThat(e.getGID()).isZero();
            assertThat(e.getTime()).isEqualTo(1_700_000_000L);
        });
        assertThat(entries.get(0).getMode()).isEqualTo(CpioConstants.C_ISDIR | 0755);
        assertThat(entries.get(1).getMode()).isEqualTo(CpioConstants.C_ISCHR | 0600);
        assertThat(entries.get(1).getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(entries.get(1).getRemoteDeviceMin()).isEqualTo(1);
        assertThat(entries.get(5).getMode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(entries.get(8).getMode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(entries.get(9).getMode()).isEqualTo(CpioConstants.C_ISLNK | 0777);
        assertThat(contents.get(9)).isEqualTo("readme.txt");
        assertThat(entries.get(10).getMode()).isEqualTo(CpioConstants.C_ISREG | 0644);
        assertThat(contents.get(10)).isEqualTo("hello");
        // Distinct inodes and one link per file: the kernel must never see hard links.
        assertThat(entries).extracting(CpioArchiveEntry::getInode).doesNotHaveDuplicates();
        assertThat(entries.stream().filter(CpioArchiveEntry::isRegularFile))
                .allSatisfy(e -> assertThat(e.getNumberOfLinks()).isEqualTo(1));
    }

    @Test
    void theSameInputsGiveTheSameBytesWhateverTheHostFilesTimes() throws Exception {
        byte[] first = cpio(sample(), 0);
        Files.setLastModifiedTime(
                dir.resolve("tree/readme.txt"), java.nio.file.attribute.FileTime.fromMillis(123456789L));
        byte[] second = cpio(sample(), 0);
        assertThat(second).isEqualTo(first);
        var gz1 = new ByteArrayOutputStream();
        try (var out = Compression.GZIP.wrap(gz1)) {
            sample().writeCpio(out, 0);
        }
        var gz2 = new ByteArrayOutputStream();
        try (var out = Compression.GZIP.wrap(gz2)) {
            sample().writeCpio(out, 0);
        }
        assertThat(gz2.toByteArray()).isEqualTo(gz1.toByteArray());
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz1.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(first);
        }
    }

    @Test
    void theSystemCpioToolReadsTheArchive() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/cpio")) || Files.isExecutable(Path.of("/bin/cpio")),
                "cpio is not installed");
        Path archive = Files.write(dir.resolve("a.cpio"), cpio(sample(), 0));
        var p = new ProcessBuilder("cpio", "-it", "--quiet")
                .redirectInput(archive.toFile())
                .redirectErrorStream(true)
                .start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing.lines()).contains("init", "jre/bin/tool", "jre/link", "dev/console");
    }

    @Test
    void countsUnpackedBytesInPages() throws Exception {
        var fs = new Initramfs().addFile("/a", 0644, new byte[1]).addFile("/b", 0644, new byte[4097]);
        assertThat(fs.unpackedBytes()).isEqualTo(3 * 4096);
    }

    @Test
    void refusesTwoEntriesAtOnePathAndUncleanPaths() {
        var fs = new Initramfs().addText("/init", 0755, "x");
        assertThatThrownBy(() -> fs.addText("/init", 0755, "y")).hasMessage("two initramfs entries at /init");
        assertThatThrownBy(() -> fs.addText("relative", 0644, "y"))
                .hasMessage("not a clean absolute guest path: relative");
        assertThatThrownBy(() -> fs.addText("/a/../b", 0644, "y"))
                .hasMessage("not a clean absolute guest path: /a/../b");
    }

    @Test
    void twoPartsHoldEveryEntryOnceWithTheWholeArchivesInodes() throws Exception {
        var fs = sample();
        var whole = new ByteArrayOutputStream();
        fs.writeCpio(whole, 0);
        var parts = new ByteArrayOutputStream();
        fs.writeCpio(parts, 0, p -> p.startsWith("/jre"));
        fs.writeCpio(parts, 0, p -> !p.startsWith("/jre"));
        var wholeEntries = new java.util.TreeMap<String, Long>();
        readAll(whole.toByteArray(), wholeEntries);
        var partEntries = new java.util.TreeMap<String, Long>();
        byte[] both = parts.toByteArray();
        // The kernel reads concatenated archives; cpio -i stops at the first trailer, so read them one by one.
        int second = readAll(both, partEntries);
        readAll(java.util.Arrays.copyOfRange(both, second, both.length), partEntries);
        assertThat(partEntries).isEqualTo(wholeEntries);
    }

    /** Reads one archive into name to inode; returns the offset where it ended (records are 512-byte blocks). */
    private static int readAll(byte[] data, java.util.Map<String, Long> into) throws Exception {
        var counting = new org.apache.commons.compress.utils.CountingInputStream(new ByteArrayInputStream(data));
        try (var in = new org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream(counting, 512)) {
            for (CpioArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                assertThat(into.put(e.getName(), e.getInode())).as(e.getName()).isNull();
            }
        }
        return (int) ((counting.getBytesRead() + 511) / 512 * 512);
    }

    @Test
    void movesASubtreeOutForAFileSystemImageKeepingItsDirectoryAndModes() throws Exception {
        var fs = sample().addText("/jre/conf/x.properties", 0600, "k=v\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        fs.moveOut("/jre", out);
        assertThat(fs.contains("/jre")).isTrue();
        assertThat(fs.entries()).extracting(InitramfsEntry::path).noneMatch(p -> p.startsWith("/jre/"));
        assertThat(fs.contains("/init")).isTrue();
        assertThat(Files.readString(out.resolve("readme.txt"))).isEqualTo("hello");
        assertThat(Files.readString(out.resolve("conf/x.properties"))).isEqualTo("k=v\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(out.resolve("bin/tool"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(out.resolve("conf/x.properties"))))
                .isEqualTo("rw-------");
        assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("readme.txt"));

        var other = sample();
        other.removeUnder("/jre");
        assertThat(other.entries())
                .extracting(InitramfsEntry::path)
                .containsExactlyElementsOf(
                        fs.entries().stream().map(InitramfsEntry::path).toList());
    }
}
