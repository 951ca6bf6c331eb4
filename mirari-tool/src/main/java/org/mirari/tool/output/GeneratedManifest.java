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
 * {@code <sha256> <file name>} each, so {@code mirari clean} removes them only while they still
 * hold what Mirari wrote (a file the user put there since is kept).
 */
public final class GeneratedManifest {
    private GeneratedManifest() {}

    /** Records {@code file} (beside the conf in {@code appDir}) as generated with its current content. */
    public static synchronized void record(Path appDir, Path file) throws IOException {
        var entries = read(appDir);
        entries.put(file.getFileName().toString(), sha256(file));
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

    static String sha256(Path file) throws IOException {
        return Fingerprint.sha256(file);
    }
}
