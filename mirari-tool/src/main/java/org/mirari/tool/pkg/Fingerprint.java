package org.mirari.tool.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A content hash (SHA-256) over named inputs: file contents and plain values. Names are sorted
 * before hashing, so the order of {@code add} calls does not matter; a missing file hashes as
 * "missing" rather than failing, so that its later appearance changes the fingerprint.
 */
public final class Fingerprint {
    private final Map<String, String> parts = new TreeMap<>();

    /** Adds a value under a name. */
    public Fingerprint value(String name, String value) {
        parts.put(name, "v:" + value);
        return this;
    }

    /** Adds a file's content under a name. */
    public Fingerprint file(String name, Path file) throws IOException {
        return file(name, file, HashCache.none());
    }

    /** Adds a file's content under a name, its hash taken from {@code cache} when the file is untouched. */
    public Fingerprint file(String name, Path file, HashCache cache) throws IOException {
        parts.put(name, Files.isRegularFile(file) ? "f:" + cache.sha256(file) : "missing");
        return this;
    }

    /** The fingerprint as 64 hex digits. */
    public String hex() {
        var md = digest();
        parts.forEach((k, v) -> {
            md.update(k.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(v.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        });
        return HexFormat.of().formatHex(md.digest());
    }

    /** The SHA-256 of a file's content, as hex. */
    public static String sha256(Path file) throws IOException {
        var md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            var buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
