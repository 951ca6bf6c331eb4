package org.mirari.tool.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.config.Located;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.plan.ToolVersion;
import org.mirari.tool.resolve.Dependencies;
import org.mirari.tool.resolve.LockFile;
import org.mirari.tool.resolve.ResolverSettings;

/**
 * The resolve step: at configure time, the app's {@code packages} resolved and locked with their
 * SHA-256 (or, with {@code --no-install}, the lock as it stands); at build time, the lock file's
 * artifacts from the local repository, SHA-256 checked (no network; after
 * {@code configure --no-install}, whatever the local repository holds, or a clear error naming what
 * is missing).
 */
final class ResolveStep {
    private ResolveStep() {}

    /** The lock configure writes, if any. */
    static Optional<LockFile> lock(Plan plan, ConfigureStep.Options options, ToolContext context, EventSink sink) {
        var config = plan.config();
        if (options.noInstall()) {
            if (!config.packages().isEmpty()) {
                sink.emit(new Event.Info(
                        "--no-install: packages not resolved; the build uses what the local repository has"));
            }
            return LockFile.read(plan.outputs().lockFile()).filter(l -> l.packages()
                    .equals(config.packages().stream().map(Located::value).toList()));
        }
        var settings =
                ResolverSettings.load(context.env(), context.properties()).withOffline(options.offline());
        return Optional.of(Dependencies.forConfigure(plan, settings, context.home(), ToolVersion.current(), sink)
                .lock());
    }

    /** The resolved {@code packages} jars, in class path order. */
    static List<Path> classpath(Plan plan, ToolContext context, EventSink sink) {
        if (plan.config().packages().isEmpty()) return List.of();
        return Dependencies.classpath(plan, ResolverSettings.load(context.env(), context.properties()), sink);
    }
}
