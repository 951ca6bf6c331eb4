package org.mirari.tool.backend;

import java.util.List;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * A target Mirari builds for and runs on; the set is closed, so callers switch over it
 * exhaustively. A backend builds its outputs from a configured app and describes how to run them
 * as a {@link RunSpec}, a value; {@code run} carries it out.
 */
public sealed interface Backend permits SocketBackend, UnixBackend, QemuBackend, XenBackend {

    Target target();

    /**
     * Builds the target's outputs, or reports them up to date when none of their inputs changed
     * (content hashes, not times). Throws a {@code BuildException} (exit 4) on failure.
     */
    BuildOutcome build(AppBuild app, EventSink events);

    /** Every file {@link #build} writes, with its purpose (what {@code --dry-run} prints). */
    List<PlannedFile> buildOutputs(AppBuild app);

    /** Whether {@link #build} would find nothing to do. Cheap enough for every {@code mirari run}. */
    boolean upToDate(AppBuild app);

    /**
     * How to run the built app with these boot-time parameters ({@code http-port=9090} overriding
     * the conf's). Writes nothing. Throws a {@code BackendException} (exit 5) when this machine
     * cannot run the target, naming the fix.
     *
     * @param boot    the run's boot-time parameters
     * @param options how to run
     */
    RunSpec launch(AppBuild app, Boot boot, RunOptions options);

    /** The backend for a target, on this host. */
    static Backend of(Target target, Host host) {
        return switch (target) {
            case SOCKET -> new SocketBackend(host);
            case UNIX -> new UnixBackend(host);
            case QEMU -> new QemuBackend(host);
            case XEN -> new XenBackend(host);
        };
    }

    /** The backend for a target on a {@linkplain Host#bare() bare} host (tests). */
    static Backend of(Target target) {
        return of(target, Host.bare());
    }
}
