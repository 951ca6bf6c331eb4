package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.error.EnvironmentException;

/**
 * The one per-user directory that holds every detached instance:
 * {@code $XDG_STATE_HOME/mirari} when {@code XDG_STATE_HOME} is an absolute path (the XDG Base
 * Directory rule), else {@code $HOME/.local/state/mirari}. Root is a user like any other (its
 * {@code HOME} is {@code /root}), and a directory that belongs to another user (a {@code sudo} that
 * kept the caller's {@code HOME}) is refused rather than half-used, so that the instances one user
 * sees are always the ones that user started.
 *
 * <p>Layout: {@code lock} (held by commands that add or remove instances, so that two at once agree
 * on names), and {@code instances/<name>/} with {@code instance.properties} (what was started),
 * {@code status.properties} (what the supervisor last reported, replaced atomically),
 * {@code console.log} and {@code console.log.1} (the rotated console) and {@code supervisor.log}.
 */
public final class StateDir {
    private final Path root;

    private StateDir(Path root) {
        this.root = root;
    }

    /** The state directory of this user, created (mode 0700) when missing. */
    public static StateDir of(ToolContext context) {
        var dir = location(context);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another command made it first
                }
            }
            long owner = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
            long me = Processes.euid();
            if (me >= 0 && owner != me)
                throw new EnvironmentException(
                        "the state directory " + dir + " belongs to uid " + owner + ", not to this user (uid " + me
                                + "); set XDG_STATE_HOME to a directory of your own (with sudo: sudo -H, so that HOME is root's)");
            Files.createDirectories(dir.resolve("instances"));
            return new StateDir(dir);
        } catch (IOException e) {
            throw new EnvironmentException(
                    "cannot use the state directory " + dir + ": " + EnvironmentException.why(dir, e)
                            + "; set XDG_STATE_HOME to a writable directory",
                    e);
        }
    }

    /** Where the state directory is for {@code context}, by the XDG rule. */
    static Path location(ToolContext context) {
        var xdg = context.env("XDG_STATE_HOME").map(Path::of).filter(Path::isAbsolute);
        if (xdg.isPresent()) return xdg.get().resolve("mirari");
        var home = context.env("HOME").or(() -> context.property("user.home"));
        if (home.isEmpty())
            throw new EnvironmentException(
                    "neither XDG_STATE_HOME nor HOME is set, so there is no place for instances; set one");
        return Path.of(home.get(), ".local", "state", "mirari");
    }

    public Path root() {
        return root;
    }

    /** The directory of instance {@code name} (which may not exist). */
    public Path instance(String name) {
        return root.resolve("instances").resolve(name);
    }

    /** Every instance directory's name, sorted. */
    public List<String> names() throws IOException {
        var names = new ArrayList<String>();
        try (var s = Files.list(root.resolve("instances"))) {
            s.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    /** The instance called {@code name}, or a usage error (exit 2) saying what exists. */
    public Instance require(String name) throws IOException {
        var found = Instance.read(instance(name));
        if (found.isPresent()) return found.get();
        throw new ConfigException(List.of("no instance called " + name + "; mirari ps -a lists them"), List.of());
    }

    /** Every instance that can be read. */
    public List<Instance> all() throws IOException {
        var all = new ArrayList<Instance>();
        for (var n : names()) Instance.read(instance(n)).ifPresent(all::add);
        return all;
    }

    /**
     * Holds the state's lock (an exclusive {@code flock} on {@code lock}) until closed: commands that
     * create or remove instances take it, so names stay unique when two commands run at once.
     */
    public Lock lock() throws IOException {
        var channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new Lock(channel, channel.lock());
    }

    /** The state's lock, held. */
    public record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** A name for a new instance of {@code app}: {@code app}, else {@code app-2}, {@code app-3}... (call with the lock held). */
    public String freeName(String app) {
        if (!Files.exists(instance(app))) return app;
        for (int i = 2; ; i++) {
            var n = app + "-" + i;
            if (!Files.exists(instance(n))) return n;
        }
    }

    /** Whether {@code name} may name an instance (it becomes a directory name). */
    public static Optional<String> invalidName(String name) {
        if (name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) return Optional.empty();
        return Optional.of(
                "--name \"" + name
                        + "\" is not a valid instance name; use 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
}
