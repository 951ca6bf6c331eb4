package org.mirari.tool.pkg;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * Writes jars that are byte-identical for the same inputs: the manifest first (where
 * {@code JarInputStream} looks for it), then directories and files in sorted order, every entry
 * with the same timestamp, written as a local time so the time zone of the machine never leaks in.
 */
public final class ReproducibleJar {
    /** The DOS epoch plus two seconds: the earliest time a zip entry stores exactly. */
    public static final LocalDateTime EARLIEST = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

    private ReproducibleJar() {}

    /**
     * The timestamp for entries: {@code SOURCE_DATE_EPOCH} (seconds, the reproducible-builds
     * convention) when set, else the zip epoch.
     */
    public static LocalDateTime entryTime(Map<String, String> env) {
        var epoch = env.get("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) return EARLIEST;
        try {
            var t = LocalDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(epoch.strip())), ZoneOffset.UTC);
            return t.isBefore(EARLIEST) ? EARLIEST : t;
        } catch (NumberFormatException e) {
            return EARLIEST;
        }
    }

    /**
     * Writes {@code jar} atomically.
     *
     * @param mainAttributes manifest main attributes besides {@code Manifest-Version}, in the order given
     * @param entries        entry name ({@code a/B.class}) to content
     */
    public static void write(
            Path jar, Map<String, String> mainAttributes, SortedMap<String, byte[]> entries, LocalDateTime time)
            throws IOException {
        Files.createDirectories(jar.toAbsolutePath().getParent());
        var tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        tmp.toFile().deleteOnExit(); // an interrupted build (Ctrl-C skips finally blocks) leaves no partial jar
        try (OutputStream file = Files.newOutputStream(tmp);
                var out = new JarOutputStream(file)) {
            var manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            mainAttributes.forEach((k, v) -> manifest.getMainAttributes().put(new Attributes.Name(k), v));
            put(out, "META-INF/", null, time);
            put(out, JarFile.MANIFEST_NAME, manifestBytes(manifest), time);
            var dirs = new TreeSet<String>();
            for (var name : entries.keySet()) {
                for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) dirs.add(name.substring(0, i + 1));
            }
            dirs.remove("META-INF/");
            var all = new TreeMap<String, byte[]>(entries);
            for (var d : dirs) all.putIfAbsent(d, null);
            all.remove(JarFile.MANIFEST_NAME);
            for (var e : all.entrySet()) put(out, e.getKey(), e.getValue(), time);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(
                tmp,
                jar,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] manifestBytes(Manifest m) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        m.write(bytes);
        return bytes.toByteArray();
    }

    private static void put(JarOutputStream out, String name, byte[] content, LocalDateTime time) throws IOException {
        var entry = new ZipEntry(name);
        entry.setTimeLocal(time);
        out.putNextEntry(entry);
        if (content != null) out.write(content);
        out.closeEntry();
    }
}
