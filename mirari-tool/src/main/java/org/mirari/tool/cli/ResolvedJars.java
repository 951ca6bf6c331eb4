package org.mirari.tool.cli;

import java.nio.file.Path;
import java.util.List;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.plan.Plan;

/** The jars configure resolved for an app's {@code packages}, read from its lock file. */
final class ResolvedJars {
    private ResolvedJars() {}

    static List<Path> of(Plan plan) {
        throw new BuildException(plan.config().fileName() + ": packages cannot be built yet: resolution lands with configure");
    }
}
