package org.mirari.tool.codegen;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.mirari.tool.error.EnvironmentException;

/**
 * What an {@code fs-<name>} directory holds, checked before anything is packed, so that a store
 * never publishes more than the directory's own files and every refusal names the path and what it
 * is.
 *
 * <ul>
 *   <li>Regular files become entries, keyed by their path below the directory ({@code /}-separated).
 *   <li>Symbolic links that stay inside the directory are followed (a link to a file is an entry
 *       under the link's name; a link to a directory packs that directory under the link's name).
 *   <li>A link whose target is outside the directory is refused with its path and target, unless
 *       the store is listed in {@code links-outside} (then it is followed like any other).
 *   <li>A link loop (a link to a directory that contains it, or a chain the system gives up on), a
 *       dangling link, a FIFO, a socket, a device, and a file or directory this user cannot read are
 *       each refused by path and kind.
 *   <li>Empty directories add nothing (a store holds files only; an empty tree is an empty store).
 *   <li>A name that is not valid UTF-8 cannot be a key: it is refused by path (the bad bytes shown as
 *       {@code ?}), with "rename it".
 * </ul>
 *
 * Every problem of a tree is reported at once, in path order.
 */
public final class StoreTree {
    // st_mode file types (POSIX <sys/stat.h>); "unix:mode" gives them where Files says only "other".
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    /**
     * Whether this JVM decodes file names as UTF-8 (its locale's encoding): a path with a non-ASCII
     * character cannot even be made otherwise. Told without reading a system property.
     */
    static final boolean UTF8_NAMES = utf8Names();

    private static boolean utf8Names() {
        try {
            return Path.of("\u00e9").toString().equals("\u00e9");
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** One entry to pack: its key and the path to read it from (through in-tree links). */
    public record Entry(String key, Path file) {}

    /** The checked tree: its entries sorted by key, or every problem found (each a line). */
    public record Listing(List<Entry> entries, List<String> problems) {
        public Listing {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }
    }

    private final Path root;
    private final Path rootReal;
    private final Path shownFrom;
    private final boolean linksOutside;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private StoreTree(Path root, Path rootReal, Path shownFrom, boolean linksOutside) {
        this.root = root;
        this.rootReal = rootReal;
        this.shownFrom = shownFrom;
        this.linksOutside = linksOutside;
    }

    /**
     * Lists {@code root} as the rules above say.
     *
     * @param shownFrom    paths in problems are shown relative to it (the app's directory)
     * @param linksOutside whether links leaving {@code root} are followed instead of refused
     */
    public static Listing list(Path root, Path shownFrom, boolean linksOutside) {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            return new Listing(
                    List.of(),
                    List.of(shown(root, shownFrom) + " cannot be read (" + EnvironmentException.reason(e)
                            + "); check the directory and its permissions"));
        }
        var tree = new StoreTree(root, real, shownFrom, linksOutside);
        var ancestors = new ArrayDeque<Path>();
        ancestors.push(real);
        tree.directory(root, "", ancestors);
        tree.entries.sort(Comparator.comparing(Entry::key));
        return new Listing(tree.entries, tree.problems);
    }

    private void directory(Path dir, String prefix, Deque<Path> ancestors) {
        var children = new ArrayList<Path>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        } catch (IOException e) {
            problem(
                    dir,
                    "is a directory that cannot be read (" + EnvironmentException.reason(e)
                            + "); make it readable (chmod a+rx) or remove it");
            return;
        }
        children.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (var child : children) {
            var name = child.getFileName().toString();
            if (name.indexOf('\uFFFD') >= 0) {
                problem(
                        child,
                        UTF8_NAMES
                                ? "has a name that is not valid UTF-8, which a key must be; rename it"
                                : "has a name this locale cannot decode (its file-name encoding is not UTF-8);"
                                        + " run mirari under a UTF-8 locale (LC_ALL=C.UTF-8), or rename it");
                continue;
            }
            if (name.indexOf('\\') >= 0) {
                problem(child, "has a backslash in its name, which a key may not have; rename it");
                continue;
            }
            entry(child, prefix + name, ancestors);
        }
    }

    private void entry(Path path, String key, Deque<Path> ancestors) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            problem(path, "cannot be read (" + EnvironmentException.reason(e) + "); check its permissions");
            return;
        }
        Path target = path;
        if (Files.isSymbolicLink(path)) {
            String to = linkText(path);
            Path real;
            try {
                real = path.toRealPath();
            } catch (NoSuchFileException e) {
                problem(
                        path,
                        "is a dangling symbolic link (-> " + to + ": no such file); remove it or create its target");
                return;
            } catch (FileSystemException e) {
                var reason = EnvironmentException.reason(e);
                if (reason.contains("too many levels")) {
                    problem(path, "is a symbolic link loop (-> " + to + "); remove it or point it at a file");
                } else {
                    problem(path, "is a symbolic link that cannot be followed (-> " + to + ": " + reason + "); fix it");
                }
                return;
            } catch (IOException e) {
                problem(path, "is a symbolic link that cannot be followed (-> " + to + "); fix it");
                return;
            }
            if (!real.startsWith(rootReal) && !linksOutside) {
                problem(
                        path,
                        "is a symbolic link to " + real + " (-> " + to + "), outside " + shown(root, shownFrom)
                                + "; a store publishes only its directory's files: copy the file in, remove the link, "
                                + "or allow links out deliberately with links-outside");
                return;
            }
            try {
                mode = (Integer) Files.getAttribute(real, "unix:mode");
            } catch (IOException e) {
                problem(path, "cannot be read (-> " + to + ": " + EnvironmentException.reason(e) + ")");
                return;
            }
            if ((mode & S_IFMT) == 0040000 && ancestors.contains(real)) {
                problem(path, "is a symbolic link loop (-> " + to + ", a directory that contains it); remove it");
                return;
            }
            target = real;
        }
        switch (mode & S_IFMT) {
            case 0100000 -> regular(path, key);
            case 0040000 -> {
                var real = target;
                if (real == path) {
                    try {
                        real = path.toRealPath();
                    } catch (IOException e) {
                        problem(path, "cannot be read (" + EnvironmentException.reason(e) + ")");
                        return;
                    }
                }
                ancestors.push(real);
                directory(path, key + "/", ancestors);
                ancestors.pop();
            }
            case S_IFIFO -> special(path, "a FIFO (named pipe)");
            case S_IFSOCK -> special(path, "a socket");
            case S_IFCHR -> special(path, "a character device");
            case S_IFBLK -> special(path, "a block device");
            default -> special(path, "not a regular file (mode " + Integer.toOctalString(mode) + ")");
        }
    }

    private void regular(Path path, String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            problem(path, "has a path longer than " + MAX_KEY_BYTES + " bytes, too long for a key; shorten it");
            return;
        }
        // Opening tells what permission bits do not (ACLs, root); only regular files: a FIFO would block.
        try (var unused = FileChannel.open(path, StandardOpenOption.READ)) {
            entries.add(new Entry(key, path));
        } catch (AccessDeniedException e) {
            problem(
                    path,
                    "is a file this user cannot read (permission denied); make it readable (chmod a+r) or remove it");
        } catch (IOException e) {
            problem(path, "cannot be read (" + EnvironmentException.reason(e) + ")");
        }
    }

    /** The pack format's limit on a key (mirari-runtime's {@code PackFormat.MAX_KEY_BYTES}). */
    static final int MAX_KEY_BYTES = 65535;

    private void special(Path path, String kind) {
        problem(path, "is " + kind + ", not a regular file; a store holds files only: remove it or move it out");
    }

    private static String linkText(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    private void problem(Path path, String what) {
        problems.add(shown(path, shownFrom) + " " + what);
    }

    /** {@code p} relative to {@code from} when inside it, with undecodable bytes shown as {@code ?}. */
    static String shown(Path p, Path from) {
        var a = p.toAbsolutePath().normalize();
        var f = from.toAbsolutePath().normalize();
        var s = a.startsWith(f) && !a.equals(f) ? f.relativize(a).toString() : a.toString();
        return s.replace('\uFFFD', '?');
    }
}
