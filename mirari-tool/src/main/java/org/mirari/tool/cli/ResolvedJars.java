package org.mirari.tool.cli;

import java.nio.file.Path;
import java.util.List;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.resolve.Dependencies;
import org.mirari.tool.resolve.ResolverSettings;

/**
 * The jars configure resolved for an app's {@code packages}: the lock file's artifacts from the
 * local repository, SHA-256 checked (no network; after {@code configure --no-install}, whatever
 * the local repository holds, or a clear error naming what is missing).
 */
final class ResolvedJars {
    private ResolvedJars() {}

    static List<Path> of(Plan plan, CliContext context, EventSink sink) {
        return Dependencies.classpath(plan, ResolverSettings.load(context.env()), sink);
    }
}
