package org.mirari.tool.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads the files of a Debian package ({@code .deb}: an ar archive whose {@code data.tar.*} holds
 * the file tree), so that extracting a kernel needs neither {@code dpkg-deb} nor root.
 */
final class Deb {
    private Deb() {}

    /**
     * Copies the regular files of {@code deb} whose path (without the leading "./") matches
     * {@code wanted} to {@code dest/<path>}.
     */
    static void extract(Path deb, Predicate<String> wanted, Path dest) throws IOException {
        try (var ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            for (var e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
                String name = e.getName();
                if (!name.startsWith("data.tar")) continue;
                try (var tar = new TarArchiveInputStream(decompress(name, ar))) {
                    for (var t = tar.getNextEntry(); t != null; t = tar.getNextEntry()) {
                        String path = t.getName().startsWith("./") ? t.getName().substring(2) : t.getName();
                        if (!t.isFile() || !wanted.test(path) || path.contains("..")) continue;
                        Path out = dest.resolve(path);
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out);
                    }
                }
                return;
            }
        }
        throw new IOException(deb + " is not a Debian package (no data.tar member)");
    }

    private static InputStream decompress(String member, InputStream in) throws IOException {
        var unclosable = new java.io.FilterInputStream(in) {
            @Override
            public void close() {}
        };
        if (member.endsWith(".xz")) return new XZCompressorInputStream(unclosable);
        if (member.endsWith(".gz")) return new GzipCompressorInputStream(unclosable);
        if (member.equals("data.tar")) return unclosable;
        throw new IOException("unsupported package member " + member);
    }
}
