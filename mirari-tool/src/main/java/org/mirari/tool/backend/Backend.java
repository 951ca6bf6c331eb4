package org.mirari.tool.backend;

import java.util.List;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * A target Mirari builds for and runs on; the set is closed, so callers switch over it
 * exhaustively. A backend says what its build makes ({@link Artifact}, which the pipeline builds)
 * and which files that writes, and describes how to run the result as a {@link RunSpec}, a value;
 * {@code run} carries it out.
 */
public sealed interface Backend
        permits SocketBackend, UnixBackend, QemuBackend, XenBackend, JsBackend, Ec2Backend, OciBackend {

    Target target();

    /** What the build makes; the pipeline's runner for that kind builds it. */
    Artifact artifact();

    /** Every file the build writes, with its purpose (what {@code --dry-run} prints). */
    List<PlannedFile> buildOutputs(AppBuild app);

    /** The Mirari modules the app links against, whose jars {@code bin/mirari} builds. */
    default List<String> runtimeModules() {
        return List.of("mirari-runtime");
    }

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
            case SOCKET -> new SocketBackend();
            case UNIX -> new UnixBackend();
            case QEMU -> new QemuBackend(host);
            case XEN -> new XenBackend(host);
            case JS -> new JsBackend(host);
            case EC2 -> new Ec2Backend(host);
            case OCI -> new OciBackend(host);
        };
    }

    /** The backend for a target on a {@linkplain Host#bare() bare} host (tests). */
    static Backend of(Target target) {
        return of(target, Host.bare());
    }
}
