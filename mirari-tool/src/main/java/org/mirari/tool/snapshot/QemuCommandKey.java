package org.mirari.tool.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The snapshot key of one QEMU command line: its guest-visible words, with host paths replaced by
 * names whose content is hashed (QEMU, its microvm firmware, the guest's files: kernel, initrd,
 * disks; the run's sockets by a placeholder), and under KVM the host CPU, whose model {@code -cpu
 * host} copies into the guest. It takes plain paths, not the tool's image type, so this package
 * stays a leaf that the backends use.
 */
public final class QemuCommandKey {
    private static final Pattern FW_CFG_FILE = Pattern.compile("^name=([^,]+),file=(.+)$");

    private QemuCommandKey() {}

    /**
     * @param command    the whole command, QEMU first
     * @param guestFiles the guest's files by name ({@code kernel}, {@code initrd}, {@code disk 0}...), in
     *                   the order their paths are replaced (a word naming one reads {@code <name>})
     * @param runDir     the run's own directory (sockets), replaced by {@code <run>}
     * @param store      the cache, which remembers content hashes by size and times
     */
    public static SnapshotKey of(
            List<String> command,
            Path qemu,
            String accel,
            SequencedMap<String, Path> guestFiles,
            Path runDir,
            SnapshotStore store)
            throws IOException {
        var files = new TreeMap<String, String>();
        files.put("qemu", store.fileHash(qemu));
        Path bios = qemu.toRealPath().getParent().resolveSibling("share/qemu/bios-microvm.bin");
        if (Files.exists(bios)) files.put("bios-microvm", store.fileHash(bios));
        // The runtime's and the app's read-only disks are among them: an app rebuilt changes only its disk.
        for (var f : guestFiles.entrySet()) files.put(f.getKey(), store.fileHash(f.getValue()));
        if (accel.equals("kvm")) files.put("host-cpu", hostCpu());
        // Files handed to the guest through fw_cfg (a TLS certificate and key) by content: the
        // saved guest holds what it read from them.
        for (int i = 1; i + 1 < command.size(); i++) {
            if (!command.get(i).equals("-fw_cfg")) continue;
            var m = FW_CFG_FILE.matcher(command.get(i + 1));
            if (m.matches())
                files.put(
                        "fw_cfg " + m.group(1),
                        store.fileHash(Path.of(m.group(2).replace(",,", ","))));
        }
        var words = new ArrayList<String>();
        for (String w : command.subList(1, command.size())) {
            String word = w.replace(runDir.toString(), "<run>");
            for (var f : guestFiles.entrySet()) word = word.replace(f.getValue().toString(), "<" + f.getKey() + ">");
            words.add(word);
        }
        return SnapshotKey.of(words, files);
    }

    /** The model and flags of the host's first CPU, hashed. */
    private static String hostCpu() throws IOException {
        var b = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name") || line.startsWith("flags"))
                b.append(line).append('\n');
            if (line.isBlank()) break;
        }
        return SnapshotKey.of(List.of(b.toString()), Map.of()).hex();
    }
}
