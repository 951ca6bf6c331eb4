package org.mirari.tool.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mirari.tool.error.BuildException;

/**
 * The host's shared libraries that a set of ELF files needs (the dynamic loader, libc, libm, ...),
 * found with {@code ldd}. The guest gets them at the same absolute paths, so the loader finds them
 * exactly as on the host.
 */
public final class SharedLibraries {
    private static final Pattern ARROW = Pattern.compile("=>\\s+(/\\S+)\\s+\\(");
    private static final Pattern BARE = Pattern.compile("^\\s*(/\\S+)\\s+\\(");

    private SharedLibraries() {}

    /** The absolute library paths {@code ldd} lists for the ELF files under {@code roots} (files or directories). */
    public static List<String> of(List<Path> roots) {
        var libs = new TreeSet<String>();
        for (Path root : roots) {
            try (Stream<Path> s = Files.isDirectory(root) ? Files.walk(root) : Stream.of(root)) {
                for (Path p : s.filter(Files::isRegularFile)
                        .filter(SharedLibraries::isElf)
                        .sorted()
                        .toList()) {
                    Exec r = Exec.run(null, List.of("ldd", p.toString()));
                    if (!r.ok()) continue; // static executables and data files that look like ELF
                    for (String line : r.output().lines().toList()) {
                        var m = ARROW.matcher(line);
                        if (m.find()) {
                            libs.add(m.group(1));
                            continue;
                        }
                        var b = BARE.matcher(line);
                        if (b.find()) libs.add(b.group(1));
                    }
                }
            } catch (IOException e) {
                throw new BuildException("ldd of " + root + " failed: " + e.getMessage(), e);
            }
        }
        // The runtime's own libraries are in the image already (found through LD_LIBRARY_PATH).
        var out = new ArrayList<String>();
        for (String l : libs) {
            if (roots.stream().noneMatch(r -> Path.of(l).startsWith(r))) out.add(l);
        }
        return out;
    }

    private static boolean isElf(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
