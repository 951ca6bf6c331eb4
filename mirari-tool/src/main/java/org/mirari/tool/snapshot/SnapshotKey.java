package org.mirari.tool.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The name of a snapshot in the cache: the SHA-256 of everything that makes a saved VM invalid.
 * QEMU's {@code microvm} has no versioned machine types and cannot migrate across QEMU builds, so
 * the QEMU binary and its firmware are in it by content; the guest-visible command line (machine,
 * accelerator, CPU model, memory, CPU count, devices, the whole kernel command line with the TSC
 * hint and the boot-time parameters) word by word, with the kernel and initrd replaced by their
 * content hashes. Host-side words (the sockets, the port forwards, {@code -incoming}) are left out
 * by the caller: a restore may forward any host port.
 *
 * @param hex       the key (64 hex digits)
 * @param described what went into it, one {@code name=value} a line, kept beside the snapshot so a
 *                  person can see why two keys differ
 */
public record SnapshotKey(String hex, String described) {
    /** Bumped when the snapshot's layout or the restore protocol changes. */
    static final int FORMAT = 1;

    /**
     * @param guestArgs the QEMU command line without its host-side words, paths of files that matter
     *                  replaced by {@code fileHashes}' keys
     * @param files     the files whose content matters (QEMU, its firmware, the kernel, the initrd), by name
     */
    public static SnapshotKey of(List<String> guestArgs, Map<String, String> files) {
        var b = new StringBuilder("format=").append(FORMAT).append('\n');
        new TreeMap<>(files)
                .forEach((k, v) ->
                        b.append("file ").append(k).append('=').append(v).append('\n'));
        for (String a : guestArgs)
            b.append("arg=").append(a.replace("\n", "\\n")).append('\n');
        String text = b.toString();
        return new SnapshotKey(HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8))), text);
    }

    /** The SHA-256 of a file's content. */
    public static String fileHash(Path file) throws IOException {
        var sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
