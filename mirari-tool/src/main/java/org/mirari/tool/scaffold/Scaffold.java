package org.mirari.tool.scaffold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mirari.tool.config.Key;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * A new app: {@code <name>.conf} (every key of the config language, the entry kind's own ones
 * set, the rest commented out with their defaults or an example, as the seed's example conf does),
 * the one class its {@code main-*} key names, and a {@code .gitignore} for what Mirari generates.
 * {@code mirari run DIR} works on it at once.
 *
 * @param kind the entry kind
 * @param name the app's name (its conf's base name)
 * @param dir  where the files go (created when missing)
 */
public record Scaffold(Kind kind, String name, Path dir) {
    /** The same rule as the conf's {@code name} key. */
    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** The entry kinds, as {@code main-*} keys. */
    public enum Kind {
        HTTP("main-http", "Dispatch"),
        IP("main-ip", "Echo"),
        NOIP("main-noip", "Noip");

        final String key;
        final String className;

        Kind(String key, String className) {
            this.key = key;
            this.className = className;
        }
    }

    /** One file to create. */
    public record File(Path path, String content) {}

    /**
     * The app named {@code name}, or by {@code dir}'s own name when null (lower-cased, other
     * characters than the conf's {@code name} allows made {@code -}).
     *
     * @throws ConfigException a name the conf would refuse (exit 2)
     */
    public static Scaffold of(Kind kind, String name, Path dir) {
        var n = name;
        if (n == null) {
            var base = dir.toAbsolutePath().normalize().getFileName();
            n = base == null ? "app" : base.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
            n = n.replaceAll("^[^a-z0-9]+", "");
            if (n.isEmpty()) n = "app";
            if (n.length() > 64) n = n.substring(0, 64);
        } else if (!APP_NAME.matcher(n).matches()) {
            throw new ConfigException("--name \"" + n + "\" is not an app name; use lowercase letters, digits, '.',"
                    + " '_' and '-', starting with a letter or digit (at most 64)");
        }
        return new Scaffold(kind, n, dir);
    }

    /** What {@link #write} creates, in order. */
    public List<File> files() {
        return List.of(
                new File(dir.resolve(name + ".conf"), Templates.conf(kind, name, mainKeyFor(kind))),
                new File(dir.resolve(kind.className + ".java"), Templates.source(kind, name)),
                new File(dir.resolve(".gitignore"), Templates.gitignore(name)));
    }

    private static String mainKeyFor(Kind kind) {
        return kind.key + ": " + kind.className + ".main";
    }

    /**
     * Creates the files, refusing (exit 2, nothing written) when any of them exists or the
     * directory already holds a conf: an existing app is never touched.
     *
     * @param shownFrom the directory messages name paths relative to
     */
    public List<Path> write(Path shownFrom, EventSink sink) {
        var problems = new ArrayList<String>();
        for (var f : files()) {
            if (Files.exists(f.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                problems.add(shown(f.path(), shownFrom) + " exists; mirari init never overwrites a file: choose an"
                        + " empty directory (mirari init DIR) or move it away");
        }
        if (problems.isEmpty() && Files.isDirectory(dir)) {
            try (Stream<Path> confs = Files.list(dir)) {
                confs.filter(p -> p.getFileName().toString().endsWith(".conf"))
                        .sorted()
                        .forEach(p -> problems.add(shown(p, shownFrom) + " exists: " + shown(dir, shownFrom)
                                + " holds an app already (a directory holds one conf); choose another directory"));
            } catch (IOException e) {
                throw new EnvironmentException(
                        "cannot read " + dir + ": " + EnvironmentException.why(dir, e) + "; choose another directory",
                        e);
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        EnvironmentException.requireWritableDir(dir, "the new app's directory", "choose another one: mirari init DIR");
        var written = new ArrayList<Path>();
        try {
            for (var f : files()) {
                var bytes = f.content().getBytes(StandardCharsets.UTF_8);
                Files.write(f.path(), bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                written.add(f.path());
                sink.emit(new Event.Wrote(f.path(), bytes.length));
            }
        } catch (IOException e) {
            // All or nothing: a half-made app would be refused by the next init.
            for (var p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // nothing more to do; the message names the directory
                }
            }
            throw new EnvironmentException(
                    "cannot write the new app in " + dir + ": " + EnvironmentException.why(dir, e)
                            + "; choose another directory",
                    e);
        }
        return written;
    }

    /** Keys of the config language that the conf template does not mention yet, for {@link Templates}. */
    static List<Key> unmentioned(String conf) {
        return Stream.of(Key.values())
                .filter(k -> !conf.contains("\n" + k.spelling()) && !conf.contains("\n# " + k.spelling()))
                .toList();
    }

    private static String shown(Path p, Path from) {
        var a = p.toAbsolutePath().normalize();
        var f = from.toAbsolutePath().normalize();
        return a.startsWith(f) && !a.equals(f) ? f.relativize(a).toString() : a.toString();
    }
}
