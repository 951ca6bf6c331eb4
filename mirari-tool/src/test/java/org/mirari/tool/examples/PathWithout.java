package org.mirari.tool.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@code PATH} with every program of this one but some (a machine without QEMU, without ip...):
 * one directory of symbolic links, so the launcher's shell still finds {@code find}, {@code stat}
 * and the rest. Debian's {@code /bin} is {@code /usr/bin}, so leaving a directory out of
 * {@code PATH} would not do. For any IT that needs a machine lacking a program. Closing it
 * removes the links, before JUnit's clean-up of the temporary directory, which warns about each
 * link it deletes.
 */
final class PathWithout implements AutoCloseable {
    private final Path dir;

    private PathWithout(Path dir) {
        this.dir = dir;
    }

    /** Makes {@code dir} with a link to every program on this {@code PATH} but those named {@code left}. */
    static PathWithout programs(Path dir, String... left) throws IOException {
        var without = Set.of(left);
        Files.createDirectories(dir);
        for (var d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            var from = Path.of(d.isEmpty() ? "." : d);
            if (!Files.isDirectory(from)) continue;
            try (Stream<Path> files = Files.list(from)) {
                for (var f : (Iterable<Path>) files::iterator) {
                    var name = f.getFileName().toString();
                    if (without.contains(name) || !Files.isExecutable(f) || Files.isDirectory(f)) continue;
                    var link = dir.resolve(name);
                    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS))
                        Files.createSymbolicLink(link, f.toAbsolutePath());
                }
            }
        }
        return new PathWithout(dir);
    }

    /** The value for {@code PATH}: the one directory of links. */
    String path() {
        return dir.toString();
    }

    @Override
    public void close() throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var links = Files.list(dir)) {
            for (var l : (Iterable<Path>) links::iterator) Files.delete(l);
        }
        Files.delete(dir);
    }
}
