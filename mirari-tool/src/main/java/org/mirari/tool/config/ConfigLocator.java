package org.mirari.tool.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.mirari.tool.error.ConfigException;

/**
 * Finds the conf file from the command line's FILE or DIR argument, by the original tool's rule:
 * a FILE is used as is; a DIR (the current directory when none is given) must hold exactly one
 * {@code *.conf}. Also decides how the file is named in messages: relative to the current
 * directory when it is under it, else absolute.
 */
public final class ConfigLocator {
    private ConfigLocator() {}

    /** The conf file located, and how messages name it. */
    public record Located(Path file, String shownAs) {
        /** The parser, with the user's home directory for {@code ~/} in paths. */
        public ConfigParser parser(java.util.Optional<Path> userHome) {
            return new ConfigParser(file, shownAs, userHome);
        }
    }

    /**
     * @param argument the FILE or DIR argument as typed, or {@code null}
     * @param cwd      the current directory
     */
    public static Located locate(String argument, Path cwd) {
        Path given;
        try {
            given = argument == null ? cwd : cwd.resolve(argument);
        } catch (InvalidPathException e) {
            throw new ConfigException(
                    "\"" + argument + "\" is not a valid path; give a .conf file or the directory holding one");
        }
        given = given.toAbsolutePath().normalize();
        if (Files.isDirectory(given)) {
            List<Path> confs;
            try (Stream<Path> s = Files.list(given)) {
                confs = s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new ConfigException(
                        "cannot list " + shown(given, cwd) + " (" + e.getMessage() + "); check its permissions");
            }
            if (confs.isEmpty()) {
                throw new ConfigException(
                        "no .conf file in " + shownDir(given, cwd)
                                + "; create one (e.g. app.conf with main-http: Dispatch.main) or name the file: mirari configure path/to/app.conf");
            }
            if (confs.size() > 1) {
                var names = confs.stream().map(p -> p.getFileName().toString()).toList();
                throw new ConfigException(
                        "several .conf files in " + shownDir(given, cwd) + ": " + String.join(", ", names)
                                + "; name the one to use, e.g. mirari configure " + shown(confs.getFirst(), cwd));
            }
            return new Located(confs.getFirst(), shown(confs.getFirst(), cwd));
        }
        if (!Files.exists(given)) {
            throw new ConfigException(argument + " does not exist; give a .conf file or the directory holding one");
        }
        if (!given.getFileName().toString().endsWith(".conf")) {
            throw new ConfigException(
                    argument + " is not a .conf file; give a <name>.conf file or the directory holding one");
        }
        return new Located(given, shown(given, cwd));
    }

    static String shown(Path p, Path cwd) {
        var c = cwd.toAbsolutePath().normalize();
        return p.startsWith(c) && !p.equals(c) ? c.relativize(p).toString() : p.toString();
    }

    private static String shownDir(Path dir, Path cwd) {
        var c = cwd.toAbsolutePath().normalize();
        return dir.equals(c) ? "the current directory (" + dir + ")" : shown(dir, cwd);
    }
}
