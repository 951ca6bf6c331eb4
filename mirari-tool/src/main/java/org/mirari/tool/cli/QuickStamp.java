package org.mirari.tool.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The quick-run stamp: what a full {@code mirari run} decided, for the next identical command line.
 * One file, one format, read by {@code bin/mirari} (which then execs the app's JVM itself) and by
 * the tool's own quick path ({@link QuickRun#tryRun}). It is named by a hash of everything the
 * decision depends on that is not a file (the arguments, the physical working directory, the
 * Mirari checkout, {@code JAVA_HOME} and {@code MIRARI_JDK_SEARCH_PATH}), so the launcher parses no
 * argument: it hashes them as given ({@code printf '%s\0' ... | sha256sum}) and looks the name up.
 * Every other decision is taken here when the stamp is written; the launcher only compares the
 * files' states with one {@code stat}, checks that the port is free and that SIGINT is not ignored,
 * and execs.
 *
 * <p>The format is a line per fact, {@code TAG VALUE}: {@code mirari-quick-run 2} first; then
 * {@code tool WHY} when only the tool may take the stamp (the launcher prints WHY with
 * {@code MIRARI_DEBUG}); {@code port}, {@code address}, {@code name} and {@code dir} (where to exec);
 * {@code env K=V} to export; {@code say LINE} for stderr; {@code exec ARG}, one per argument;
 * {@code f SIZE SECONDS.NANOS PATH} for a file's state as GNU {@code stat -c '%s %.9Y'} prints it
 * (not following a link) and {@code x PATH} for a file that must stay absent.
 *
 * @param tool    why only the tool may take it (an app without a port, a privileged port), if so
 * @param command the command to exec, with {@link #CONSOLE} as its first option when the launcher
 *                may take it (the tool drops that option when it runs the app itself)
 * @param watched each watched path to its state ({@code f ...} or {@code x})
 */
record QuickStamp(
        Optional<String> tool,
        int port,
        String address,
        String name,
        Path directory,
        Map<String, String> environment,
        List<String> say,
        List<String> command,
        Map<String, String> watched) {
    static final String FORMAT = "mirari-quick-run 2";
    /** The runtime option that has an app render its console, readiness and exit as the tool would. */
    static final String CONSOLE = "-Dmirari.run.console=";

    QuickStamp {
        environment = Map.copyOf(environment);
        say = List.copyOf(say);
        command = List.copyOf(command);
        watched = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(watched));
    }

    /**
     * The hash a command line's stamp is named by, as {@code bin/mirari} computes it: SHA-256 of
     * each argument followed by a NUL, the physical working directory and a newline ({@code pwd -P}),
     * then the checkout, {@code JAVA_HOME} and {@code MIRARI_JDK_SEARCH_PATH}, each followed by a NUL.
     */
    static String key(String[] args, CliContext context) {
        var s = new StringBuilder();
        for (var a : args) s.append(a).append('\0');
        s.append(context.cwd()).append('\n');
        s.append(context.home()).append('\0');
        s.append(context.env().getOrDefault("JAVA_HOME", "")).append('\0');
        s.append(context.env().getOrDefault("MIRARI_JDK_SEARCH_PATH", "")).append('\0');
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where the stamp of a command line is: {@code $XDG_CACHE_HOME/mirari/quick/<key>}, else
     * {@code $HOME/.cache/mirari/quick/<key>} (the launcher's rule, from the environment alone);
     * none without either.
     */
    static Optional<Path> file(String[] args, CliContext context) {
        var xdg = context.env().getOrDefault("XDG_CACHE_HOME", "");
        var home = context.env().getOrDefault("HOME", "");
        Path cache;
        if (!xdg.isEmpty()) cache = context.cwd().resolve(xdg);
        else if (!home.isEmpty()) cache = context.cwd().resolve(home).resolve(".cache");
        else return Optional.empty();
        return Optional.of(cache.resolve("mirari").resolve("quick").resolve(key(args, context)));
    }

    /** The command the tool runs itself: without {@link #CONSOLE}, which is for the app in the tool's place. */
    List<String> toolCommand() {
        return command.stream().filter(c -> !c.startsWith(CONSOLE)).toList();
    }

    /** The stamp as text, or empty when a value cannot be written on one line. */
    Optional<String> text() {
        var b = new StringBuilder(FORMAT).append('\n');
        tool.ifPresent(t -> b.append("tool ").append(t).append('\n'));
        b.append("port ").append(port).append('\n');
        b.append("address ").append(address).append('\n');
        b.append("name ").append(name).append('\n');
        b.append("dir ").append(directory).append('\n');
        for (var e : environment.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) return Optional.empty();
            b.append("env ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        say.forEach(l -> b.append("say ").append(l).append('\n'));
        command.forEach(c -> b.append("exec ").append(c).append('\n'));
        for (var w : watched.entrySet()) {
            b.append(w.getValue()).append(' ').append(w.getKey()).append('\n');
        }
        var text = b.toString();
        // Every value on one line: a newline inside one (or a NUL) would change the meaning.
        long lines = text.chars().filter(c -> c == '\n').count();
        long expected =
                5 + (tool.isPresent() ? 1 : 0) + environment.size() + say.size() + command.size() + watched.size();
        if (lines != expected || text.indexOf('\0') >= 0) return Optional.empty();
        return Optional.of(text);
    }

    /** The stamp in {@code text}; throws {@code IllegalArgumentException} when it is not one. */
    static QuickStamp parse(String text) {
        var lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals(FORMAT)) throw new IllegalArgumentException("another format");
        Optional<String> tool = Optional.empty();
        int port = -1;
        String address = null, name = null;
        Path dir = null;
        var env = new LinkedHashMap<String, String>();
        var say = new ArrayList<String>();
        var command = new ArrayList<String>();
        var watched = new LinkedHashMap<String, String>();
        for (var line : lines.subList(1, lines.size())) {
            int sp = line.indexOf(' ');
            if (sp < 0) throw new IllegalArgumentException("not TAG VALUE: " + line);
            var value = line.substring(sp + 1);
            switch (line.substring(0, sp)) {
                case "tool" -> tool = Optional.of(value);
                case "port" -> port = Integer.parseInt(value);
                case "address" -> address = value;
                case "name" -> name = value;
                case "dir" -> dir = Path.of(value);
                case "env" -> {
                    int eq = value.indexOf('=');
                    env.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "say" -> say.add(value);
                case "exec" -> command.add(value);
                case "x" -> watched.put(value, "x");
                case "f" -> {
                    var parts = value.split(" ", 3);
                    watched.put(parts[2], "f " + parts[0] + " " + parts[1]);
                }
                default -> throw new IllegalArgumentException("unknown line: " + line);
            }
        }
        if (port < 0 || address == null || name == null || dir == null || command.isEmpty())
            throw new IllegalArgumentException("incomplete");
        return new QuickStamp(tool, port, address, name, dir, env, say, command, watched);
    }

    /**
     * {@code f SIZE SECONDS.NANOS} as GNU {@code stat -c '%s %.9Y'} prints it (without following a
     * symbolic link), {@code x} for a file that is absent; empty when it cannot be told.
     */
    static Optional<String> state(Path p) {
        try {
            var a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long t = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            if (t < 0) return Optional.empty();
            return Optional.of(
                    String.format(Locale.ROOT, "f %d %d.%09d", a.size(), t / 1_000_000_000L, t % 1_000_000_000L));
        } catch (NoSuchFileException e) {
            return Optional.of("x");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first watched path whose state differs now, if any. */
    Optional<String> changed() {
        for (var w : watched.entrySet()) {
            if (!state(Path.of(w.getKey())).equals(Optional.of(w.getValue()))) return Optional.of(w.getKey());
        }
        return Optional.empty();
    }
}
