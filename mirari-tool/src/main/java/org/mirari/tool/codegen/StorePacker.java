package org.mirari.tool.codegen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.error.ExitCode;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.plan.Plan;

/**
 * Packs each {@code fs-<name>} directory into {@code .mirari/kv/<name>.kv} with the runtime's own
 * writer (reader and writer share one format), and removes packs of stores no longer configured.
 */
public final class StorePacker {
    private StorePacker() {}

    /**
     * An {@code fs-*} tree holding what a store must not (exit 4, "build failed"): every problem, each
     * positioned at the store's {@code fs-} line, printed one per line as config problems are.
     */
    static final class UnpackableTree extends ConfigException {
        UnpackableTree(List<String> problems) {
            super(problems);
        }

        @Override
        public ExitCode exitCode() {
            return ExitCode.BUILD;
        }
    }

    /** @return the packed files, in the conf's order */
    public static List<Path> packAll(Plan plan, EventSink sink) {
        var dir = plan.outputs().kvDir();
        var out = new java.util.ArrayList<Path>();
        for (var store : plan.config().stores()) {
            var target = plan.outputs().kvStore(store.name());
            var listing = StoreTree.list(store.dir(), plan.appDir(), store.linksOutside());
            if (!listing.problems().isEmpty()) {
                var where = plan.config().fileName() + ":" + store.at().line() + ":"
                        + store.at().col() + ": fs-" + store.name() + ": ";
                throw new UnpackableTree(
                        listing.problems().stream().map(p -> where + p).toList());
            }
            var files = new TreeMap<String, Path>();
            listing.entries().forEach(e -> files.put(e.key(), e.file()));
            try {
                var entries = KvPackWriter.pack(files, target);
                sink.emit(new Event.Info("packed fs-" + store.name() + " (" + entries.size() + " files) into "
                        + GeneratedFiles.shown(target, plan.appDir())));
                out.add(target);
            } catch (IOException e) {
                // Writing the pack (its directory, a full disk) is the machine's fault; reading the tree, the tree's.
                boolean writing = e instanceof java.nio.file.FileSystemException f
                                && f.getFile() != null
                                && Path.of(f.getFile()).toAbsolutePath().startsWith(dir.toAbsolutePath())
                        || String.valueOf(e.getMessage()).contains("No space left");
                if (writing) {
                    throw GeneratedFiles.cannotWrite(target, plan.appDir(), e, "the earlier pack is unchanged");
                }
                throw new BuildException(
                        plan.config().fileName() + ":" + store.at().line() + ":"
                                + store.at().col() + ": cannot pack fs-" + store.name() + " (" + e.getMessage()
                                + "); fix the directory's files or permissions",
                        e);
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (var p : s.toList()) {
                    if (p.getFileName().toString().endsWith(".kv") && !out.contains(p)) Files.delete(p);
                }
            } catch (IOException e) {
                throw new BuildException("cannot tidy " + dir + " (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }
}
