package org.mirari.tool.backend;

import java.util.Map;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.target.Target;

/**
 * A target Mirari builds for and runs on; the set is closed, so callers switch over it
 * exhaustively. A backend builds its outputs from a configured app and describes how to start
 * them; it never starts anything itself ({@code run} does).
 */
public sealed interface Backend permits SocketBackend, UnixBackend, QemuBackend, XenBackend {

    Target target();

    /**
     * Builds the target's outputs, or reports them up to date when none of their inputs changed
     * (content hashes, not times). Throws a {@code BuildException} (exit 4) on failure.
     */
    BuildOutcome build(AppBuild app, EventSink events);

    /** Whether {@link #build} would find nothing to do. Cheap enough for every {@code mirari run}. */
    boolean upToDate(AppBuild app);

    /**
     * The command that starts the built app with boot-time parameters ({@code http-port=9090})
     * overriding the conf's. Throws a {@code BackendException} (exit 5) when this machine cannot
     * run the target, naming the fix.
     *
     * @param bootParameters  boot-time parameters given on the command line ({@code --set})
     * @param options         how to run
     */
    Launch launch(AppBuild app, Map<String, String> bootParameters, RunOptions options);

    /** The backend for a target. */
    static Backend of(Target target) {
        return switch (target) {
            case SOCKET -> new SocketBackend();
            case UNIX -> new UnixBackend();
            case QEMU -> new QemuBackend();
            case XEN -> new XenBackend();
        };
    }
}
