package org.mirari.tool.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.plan.Outputs;

/**
 * Records generated files that cannot carry a {@link Stamp} (binary VM images beside the conf:
 * {@code mir-<name>.vmlinuz}, {@code mir-<name>.initrd}) in {@code .mirari/generated}, one line
 * {@code <digest> <file name>} each, so {@code mirari clean} removes them only while they still
 * hold what Mirari wrote (a file the user put there since is kept). The digest is {@link #digest}'s,
 * a SHA-256 that leaves out all-zero blocks, so that recording the {@code --ec2} build's 1 GiB
 * sparse disk (about 35 MiB of data) does not hash a gigabyte of zeros.
 */
public final class GeneratedManifest {
    private GeneratedManifest() {}

    /** Records {@code file} (beside the conf in {@code appDir}) as generated with its current content. */
    public static synchronized void record(Path appDir, Path file) throws IOException {
        var entries = read(appDir);
        entries.put(file.getFileName().toString(), digest(file));
        var b = new StringBuilder();
        entries.forEach((name, sha) -> b.append(sha).append(' ').append(name).append('\n'));
        GeneratedFiles.replace(
                Outputs.generatedManifest(appDir), out -> out.write(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** File name to SHA-256 of every recorded file; empty when there is no manifest. */
    public static Map<String, String> read(Path appDir) throws IOException {
        var out = new TreeMap<String, String>();
        var manifest = Outputs.generatedManifest(appDir);
        if (!Files.isRegularFile(manifest)) return out;
        for (var line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            int sp = line.indexOf(' ');
            if (sp == 64 && !line.substring(sp + 1).contains("/"))
                out.put(line.substring(sp + 1), line.substring(0, sp));
        }
        return out;
    }

    /**
     * Whether {@code file} still holds what the manifest recorded as {@code recorded} (null: nothing
     * recorded): its {@link #digest}, or the plain SHA-256 that manifests written before that digest
     * recorded, so that an upgrade of Mirari neither refuses to replace its own earlier images
     * ("not made by mirari") nor keeps them at {@code mirari clean}.
     */
    public static boolean holds(String recorded, Path file) throws IOException {
        if (recorded == null) return false;
        return recorded.equals(digest(file)) || recorded.equals(Fingerprint.sha256(file));
    }

    /** The size of the blocks {@link #digest} skips when they are all zeros. */
    static final int BLOCK = 64 * 1024;

    /**
     * The file's identity as the manifest records it: the SHA-256 of each block of {@link #BLOCK}
     * bytes that is not all zeros, preceded by its offset, then of the file's length. The offsets
     * and the length say where the left-out zeros were, so two files with the same digest have the
     * same content, as with a plain SHA-256; but the zeros cost only their reading (from a sparse
     * file's holes, which the kernel fills without touching the disk), not their hashing, which
     * the tool's JVM (C1 only, for its start-up) does at about 35 MB/s.
     */
    public static String digest(Path file) throws IOException {
        var md = sha256();
        var buf = new byte[BLOCK];
        var zeros = new byte[BLOCK];
        var at = java.nio.ByteBuffer.allocate(Long.BYTES);
        long offset = 0;
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.readNBytes(buf, 0, BLOCK)) > 0; offset += n) {
                if (java.util.Arrays.equals(buf, 0, n, zeros, 0, n)) continue;
                md.update(at.clear().putLong(offset).array());
                md.update(buf, 0, n);
            }
        }
        md.update(at.clear().putLong(-1).array());
        md.update(at.clear().putLong(offset).array());
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
