package org.mirari.tool.error;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A directory Mirari needs cannot be used (exit 6): missing and impossible to create, not a
 * directory, or not writable. The message names the directory, what it is for, why it cannot be
 * used, and how to point Mirari elsewhere.
 */
public final class EnvironmentException extends MirariException {
    public EnvironmentException(String message) {
        super(message, null);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.ENVIRONMENT;
    }

    /**
     * Makes sure {@code dir} exists (creating it and its parents) and that this process may create
     * files in it, by creating and removing a probe file: permission bits do not tell about a
     * read-only mount, nor about root.
     *
     * @param what what the directory is for, as the message names it ("the local Maven repository")
     * @param fix  what the user can do instead ("set MIRARI_CACHE to a writable directory")
     * @throws EnvironmentException {@code cannot use <what> <dir>: <why>; <fix>}
     */
    public static void requireWritableDir(Path dir, String what, String fix) {
        var abs = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs);
            var probe = Files.createTempFile(abs, ".mirari-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new EnvironmentException("cannot use " + what + " " + abs + ": " + why(abs, e) + "; " + fix, e);
        }
    }

    /**
     * Why {@code e} happened at or under {@code dir}, in words: the first part of the path that is
     * missing, not a directory, or not writable, and the system's reason.
     */
    public static String why(Path dir, IOException e) {
        // Walk up to the deepest part of the path that exists: that is where the trouble is.
        var existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing != null && !existing.equals(dir)) {
            if (!Files.isDirectory(existing)) return existing + " is not a directory";
            return existing.resolve(existing.relativize(dir).getName(0)) + " does not exist and cannot be created in "
                    + existing + " (" + reason(e) + ")";
        }
        if (existing != null && !Files.isDirectory(existing)) return "it is not a directory";
        return reason(e);
    }

    /**
     * An I/O failure that reached the top without a message of its own (an {@link IOException},
     * or one wrapped in an {@link java.io.UncheckedIOException}), as a failure of the machine, not
     * of Mirari: a full disk, a refused or read-only path, or a missing one is exit 6 naming the
     * path; any other I/O error fails the build (exit 4) with the system's words. Empty for
     * anything else, which stays an internal error.
     */
    public static java.util.Optional<MirariException> ofUnhandled(Throwable t) {
        var io = t instanceof java.io.UncheckedIOException u ? u.getCause() : t;
        if (!(io instanceof IOException e)) return java.util.Optional.empty();
        String path = e instanceof FileSystemException f && f.getFile() != null
                ? f.getFile() + (f.getOtherFile() != null ? " (to " + f.getOtherFile() + ")" : "")
                : null;
        String what = path == null ? "an I/O operation failed" : "cannot use " + path;
        if (diskFull(e))
            return java.util.Optional.of(new EnvironmentException(
                    what + " (no space left on device); free some space on that file system", e));
        String reason = reason(e);
        if (e instanceof AccessDeniedException || reason.contains("read-only") || e instanceof NoSuchFileException)
            return java.util.Optional.of(new EnvironmentException(
                    what + " (" + reason + "); make it exist and be writable by this user, or point Mirari elsewhere"
                            + " (MIRARI_CACHE, XDG_CACHE_HOME, HOME)",
                    e));
        return java.util.Optional.of(
                new BuildException(what + " (" + reason + "); check the file system and try again", e));
    }

    /** Whether {@code e} or a cause says the disk is full ({@code ENOSPC}, or a tool's "No space left on device"). */
    public static boolean diskFull(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            var m = t instanceof FileSystemException f ? f.getReason() + " " + f.getMessage() : t.getMessage();
            if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("no space left on device")) return true;
        }
        return false;
    }

    /**
     * The disk that holds {@code dir} is full while Mirari writes {@code what} there:
     * {@code cannot write <what> in <dir> (no space left on device); free some space on that file system<more>}.
     *
     * @param more what else to do and what state things are in ({@code "; the earlier image is unchanged"})
     */
    public static EnvironmentException diskFull(String what, Path dir, String more, Throwable cause) {
        return new EnvironmentException(
                "cannot write " + what + " in " + dir.toAbsolutePath().normalize()
                        + " (no space left on device); free some space on that file system" + more,
                cause);
    }

    /** As {@link #diskFull(String, Path, String, Throwable)} for Mirari's cache, which can be moved. */
    public static EnvironmentException cacheFull(Path dir, Throwable cause) {
        return diskFull(
                "the cache",
                dir,
                ", or set MIRARI_CACHE (or XDG_CACHE_HOME) to a directory on another one; the earlier image is"
                        + " unchanged",
                cause);
    }

    /** The system's reason for {@code e} in a few words ("permission denied", "read-only file system"). */
    public static String reason(IOException e) {
        String r = e instanceof FileSystemException f ? f.getReason() : null;
        if (r == null || r.isBlank()) {
            r = switch (e) {
                case AccessDeniedException a -> "permission denied";
                case NoSuchFileException n -> "no such file or directory";
                case NotDirectoryException n -> "not a directory";
                default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            };
        }
        return r.isEmpty() ? r : Character.toLowerCase(r.charAt(0)) + r.substring(1);
    }
}
