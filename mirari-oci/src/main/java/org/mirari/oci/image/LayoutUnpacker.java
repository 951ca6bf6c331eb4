package org.mirari.oci.image;

import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.mirari.tool.error.BuildException;

/**
 * Unpacks OCI archives and layouts. A layout is an archive's content ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/*}); a root file system is the layers of the layout's
 * first manifest applied bottom to top, whiteouts ({@code .wh.NAME}) removing what a lower layer
 * had (image-spec {@code layer.md}). No entry may leave its directory ({@code ..}, a link out).
 */
public final class LayoutUnpacker {
    private LayoutUnpacker() {}

    /** Replaces {@code layout} with the content of {@code archive}. */
    static void extractArchive(Path archive, Path layout) throws IOException {
        Path parent = layout.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + layout.getFileName() + "-");
        try {
            try (var in = new BufferedInputStream(Files.newInputStream(archive))) {
                extract(in, tmp, false);
            }
            deleteTree(layout);
            Files.move(tmp, layout, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Extracts the image's layers into {@code rootfs} (emptied first). */
    public static void unpack(Path layout, Path rootfs) {
        try {
            var index = JsonTemplateMapper.readJsonFromFile(layout.resolve("index.json"), OciIndexTemplate.class);
            if (index.getManifests().isEmpty()) throw new BuildException(layout + "/index.json names no image");
            var manifest = JsonTemplateMapper.readJsonFromFile(
                    blob(layout, index.getManifests().getFirst().getDigest().toString()), OciManifestTemplate.class);
            deleteTree(rootfs);
            Files.createDirectories(rootfs);
            for (var layer : manifest.getLayers()) {
                try (var in = new GZIPInputStream(
                        new BufferedInputStream(Files.newInputStream(
                                blob(layout, layer.getDigest().toString()))),
                        1 << 16)) {
                    extract(in, rootfs, true);
                }
            }
        } catch (IOException e) {
            throw new BuildException("cannot unpack the OCI image in " + layout + ": " + e.getMessage(), e);
        }
    }

    /** {@code blobs/sha256/<hex>} of a {@code sha256:<hex>} digest. */
    static Path blob(Path layout, String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) throw new BuildException("unexpected digest " + digest);
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private static void extract(InputStream raw, Path dir, boolean whiteouts) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        try (var tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = inside(root, e.getName());
                String base =
                        target.getFileName() == null ? "" : target.getFileName().toString();
                if (whiteouts && base.startsWith(".wh.")) {
                    if (base.equals(".wh..wh..opq")) {
                        deleteTree(target.getParent());
                        Files.createDirectories(target.getParent());
                    } else deleteTree(target.resolveSibling(base.substring(4)));
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    deleteTree(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    continue;
                } else if (e.isLink()) {
                    deleteTree(target);
                    Files.createLink(target, inside(root, e.getLinkName()));
                    continue;
                } else if (e.isFile()) {
                    deleteTree(target);
                    Files.copy(tar, target);
                } else {
                    continue; // devices and FIFOs: an image of Mirari's never has them
                }
                Files.setPosixFilePermissions(target, permissions(e.getMode()));
            }
        }
    }

    private static Path inside(Path root, String name) {
        Path p = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (!p.startsWith(root)) throw new BuildException("the image's entry " + name + " leaves its directory");
        return p;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        var set = EnumSet.noneOf(PosixFilePermission.class);
        var all = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE: bits 8 down to 0
        for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) set.add(all[i]);
        return set;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) deleteTree(c);
            }
        }
        Files.delete(p);
    }
}
