package org.mirari.tool.codegen;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/**
 * Random {@code fs-*} trees (files of random names and sizes, directories, links inside, outside,
 * dangling and looping, FIFOs, sockets, modes, names that are not UTF-8) through {@link StoreTree}
 * and the pack writer. Whatever the tree: nothing but documented problems comes out; a tree
 * holding something a store must not hold (found by an independent scan) is refused; and a
 * successful pack holds exactly the regular files inside the tree, byte for byte, and every key
 * leads to a file inside it.
 *
 * <p>{@link #seededTrees()} walks 150 seeded trees on every test run; {@link #tree} is the same
 * generator driven by Jazzer ({@code JAZZER_FUZZ=1} to fuzz for real; regression mode otherwise).
 */
class StoreTreeFuzzTest {
    /** Every problem {@link StoreTree} documents, after the path it names. */
    private static final Pattern DOCUMENTED = Pattern.compile(" (is a symbolic link to .* outside files; .*"
            + "|is a symbolic link loop \\(-> .*"
            + "|is a dangling symbolic link \\(-> .*: no such file\\); remove it or create its target"
            + "|is (a FIFO \\(named pipe\\)|a socket|a character device|a block device), not a regular file; .*"
            + "|is a file this user cannot read \\(permission denied\\); .*"
            + "|is a directory that cannot be read \\(permission denied\\); .*"
            + "|has a name that is not valid UTF-8, which a key must be; rename it"
            + "|has a backslash in its name, which a key may not have; rename it)$");

    private static final String[] NAMES = {
        "a", "b", "index.html", "caf\u00e9.txt", ".hidden", "with space", "x.y.z", "..dots", "\u65e5\u672c"
    };

    @Test
    void seededTrees() throws Exception {
        int packed = 0;
        for (long seed = 0; seed < 150; seed++) {
            var random = new Random(seed);
            if (run(random::nextInt, "seed " + seed)) packed++;
        }
        // The walk must exercise both sides: trees that pack and trees that are refused.
        if (packed < 30 || packed > 120) throw new AssertionError(packed + " of 150 trees packed; rebalance the walk");
    }

    @FuzzTest(maxDuration = "60s")
    void tree(FuzzedDataProvider data) throws Exception {
        run(n -> data.remainingBytes() == 0 ? 0 : data.consumeInt(0, n - 1), "fuzz input");
    }

    /** Builds a tree with {@code choose.applyAsInt(n)} in [0, n) for every choice, then checks it. */
    private static boolean run(IntUnaryOperator choose, String what) throws Exception {
        var tmp = Files.createTempDirectory("mirari-tree-");
        try {
            var root = Files.createDirectories(tmp.resolve("files"));
            var outside = Files.writeString(tmp.resolve("secret.txt"), "secret\n");
            Files.createDirectories(tmp.resolve("elsewhere"));
            Files.writeString(tmp.resolve("elsewhere/other.txt"), "other\n");
            var dirs = new ArrayList<Path>(List.of(root));
            var regular = new ArrayList<Path>();
            int steps = 1 + choose.applyAsInt(24);
            for (int i = 0; i < steps; i++) {
                var dir = dirs.get(choose.applyAsInt(dirs.size()));
                var p = dir.resolve(NAMES[choose.applyAsInt(NAMES.length)] + i);
                switch (op(choose.applyAsInt(100))) {
                    case 0, 1, 2, 3, 4 -> {
                        var bytes = new byte[choose.applyAsInt(4) == 0 ? 0 : choose.applyAsInt(70_000)];
                        new Random(i).nextBytes(bytes);
                        Files.write(p, bytes);
                        regular.add(p);
                    }
                    case 5, 6 -> dirs.add(Files.createDirectories(p));
                    case 7 -> {
                        if (!regular.isEmpty())
                            Files.createSymbolicLink(p, dir.relativize(regular.get(choose.applyAsInt(regular.size()))));
                    }
                    case 8 -> {
                        var to = dir.relativize(dirs.get(choose.applyAsInt(dirs.size())));
                        Files.createSymbolicLink(p, to.toString().isEmpty() ? Path.of(".") : to);
                    }
                    case 9 ->
                        Files.createSymbolicLink(p, choose.applyAsInt(2) == 0 ? outside : tmp.resolve("elsewhere"));
                    case 10 -> Files.createSymbolicLink(p, Path.of("missing"));
                    case 11 -> Files.createSymbolicLink(p, p.getFileName());
                    case 12 -> {
                        if (new ProcessBuilder("mkfifo", p.toString()).start().waitFor() != 0)
                            throw new AssertionError("mkfifo failed");
                    }
                    case 13 -> {
                        try (var s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                            s.bind(UnixDomainSocketAddress.of(p));
                        }
                    }
                    case 14 -> {
                        if (!regular.isEmpty())
                            Files.setPosixFilePermissions(
                                    regular.get(choose.applyAsInt(regular.size())),
                                    PosixFilePermissions.fromString("---------"));
                    }
                    case 15 -> Files.writeString(dir.resolve("back\\slash" + i), "x");
                    default -> {
                        var sh = "touch \"$1/$(printf 'bad\\377')$2\"";
                        if (new ProcessBuilder("sh", "-c", sh, "sh", dir.toString(), Integer.toString(i))
                                        .start()
                                        .waitFor()
                                != 0) throw new AssertionError("touch failed");
                    }
                }
            }
            return check(root, tmp, what);
        } finally {
            deleteTree(tmp);
        }
    }

    /** The kind of step for a percentile: mostly files, directories and links inside; faults rarer. */
    private static int op(int percent) {
        int[] upTo = {50, 50, 50, 50, 50, 66, 66, 80, 88, 89, 90, 91, 92, 93, 96, 97};
        for (int op = 0; op < upTo.length; op++) if (percent < upTo[op]) return op;
        return upTo.length;
    }

    /** @return whether the tree was packed */
    private static boolean check(Path root, Path app, String what) throws IOException {
        var listing = StoreTree.list(root, app, false);
        var bad = scanForBad(root);
        if (!listing.problems().isEmpty()) {
            for (var problem : listing.problems()) {
                var m = DOCUMENTED.matcher(problem);
                if (!m.find() || !problem.startsWith("files/"))
                    throw new AssertionError(what + ": undocumented problem: " + problem);
            }
            return false;
        }
        if (!bad.isEmpty()) throw new AssertionError(what + ": packed a tree holding " + bad);
        var files = new TreeMap<String, Path>();
        listing.entries().forEach(e -> files.put(e.key(), e.file()));
        var pack = app.resolve("store.kv");
        KvPackWriter.pack(files, pack);
        var store = KvStore.open(pack);
        var rootReal = root.toRealPath();
        var keys = new HashSet<>(store.list());
        for (var key : keys) {
            var real = root.resolve(key).toRealPath();
            if (!real.startsWith(rootReal) || !Files.isRegularFile(real))
                throw new AssertionError(what + ": key " + key + " is not a regular file inside the tree: " + real);
            if (!Arrays.equals(store.bytes(key), Files.readAllBytes(real)))
                throw new AssertionError(what + ": key " + key + " holds other bytes than " + real);
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (var p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    var key = root.relativize(p).toString();
                    if (!keys.contains(key)) throw new AssertionError(what + ": " + key + " missing from the pack");
                }
            }
        }
        return true;
    }

    /**
     * What no store may hold, found without following links: a link that leaves the tree, dangles
     * or loops on itself; anything but a file, directory or link; a name that is not UTF-8 or has a
     * backslash.
     */
    private static List<String> scanForBad(Path root) throws IOException {
        var bad = new ArrayList<String>();
        var rootReal = root.toRealPath();
        try (Stream<Path> all = Files.walk(root)) {
            for (var p : (Iterable<Path>) all::iterator) {
                if (p.equals(root)) continue;
                var name = p.getFileName().toString();
                if (name.indexOf('\uFFFD') >= 0 || name.indexOf('\\') >= 0) bad.add("name " + p);
                if (Files.isSymbolicLink(p)) {
                    try {
                        if (!p.toRealPath().startsWith(rootReal)) bad.add("link out " + p);
                    } catch (IOException e) {
                        bad.add("broken link " + p);
                    }
                } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    bad.add("special " + p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !Files.isReadable(p)) {
                    bad.add("unreadable " + p);
                }
            }
        }
        return bad;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (var p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
