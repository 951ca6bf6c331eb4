package org.mirari.tool.supervise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/** Properties files in the state directory, written atomically (a temporary name, then a rename). */
final class PropertiesFiles {
    private PropertiesFiles() {}

    static void writeAtomically(Path file, Properties p) throws IOException {
        var tmp = java.nio.file.Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
                p.store(out, null);
            }
            java.nio.file.Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    static Optional<Properties> read(Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            var p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
