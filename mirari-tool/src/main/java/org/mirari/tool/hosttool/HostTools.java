package org.mirari.tool.hosttool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.error.BackendException;

/**
 * Where the host's programs are looked for: the directories of a {@code PATH} value, in order, as
 * a shell searches them. No directory is added behind the user's back: a program that a shell
 * would not find is reported missing, with that {@code PATH}, and the fix says to add its
 * directory (on Debian, ordinary users' {@code PATH} lacks {@code /usr/sbin}, where {@code ip} is).
 *
 * @param path the {@code PATH} value searched, as given (for messages)
 */
public record HostTools(String path) {
    /** Debian's {@code PATH} for root, used when the environment has none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The programs found on {@code path}; an unset or blank one means {@link #DEFAULT_PATH}. */
    public static HostTools onPath(String path) {
        return new HostTools(path == null || path.isBlank() ? DEFAULT_PATH : path);
    }

    /** The executable {@code tool} on the path, if any. */
    public Optional<Path> find(HostTool tool) {
        return find(tool.command());
    }

    /** The executable named {@code command} on the path, if any (an empty entry is the current directory). */
    public Optional<Path> find(String command) {
        for (String dir : path.split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p.toAbsolutePath());
        }
        return Optional.empty();
    }

    /**
     * The executable {@code tool}, or a {@link BackendException} (exit 5) saying which program is
     * missing, where it was looked for, what needs it, and how to get it.
     *
     * @param neededFor what needs it, e.g. {@code "--unix needs it to make the tap"}
     * @param instead   what else the user can do, e.g. {@code "or use --socket"} (may be empty)
     */
    public Path require(HostTool tool, String neededFor, String instead) {
        return find(tool).orElseThrow(() -> new BackendException(missing(tool, neededFor, instead)));
    }

    /** {@code ip (Debian package iproute2) is not on PATH (/usr/bin:/bin), and --unix needs it ...; install it ...}. */
    public String missing(HostTool tool, String neededFor, String instead) {
        return tool.command() + " (Debian package " + tool.debianPackage() + ") is not on PATH (" + path + "), and "
                + neededFor + "; install it (apt-get install " + tool.debianPackage()
                + ") or add its directory to PATH" + (instead.isEmpty() ? "" : ", " + instead);
    }

    /** Every known tool and where it is, for a report of the machine ({@code mirari doctor}). */
    public Map<HostTool, Optional<Path>> survey() {
        var all = new EnumMap<HostTool, Optional<Path>>(HostTool.class);
        for (var t : HostTool.values()) all.put(t, find(t));
        return all;
    }

    /** The directories searched, in order. */
    public List<Path> directories() {
        var out = new ArrayList<Path>();
        for (String dir : path.split(":", -1)) out.add(Path.of(dir.isEmpty() ? "." : dir));
        return out;
    }
}
