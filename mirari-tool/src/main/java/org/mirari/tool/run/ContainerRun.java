package org.mirari.tool.run;

import java.io.IOException;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * Runs a container: prepares its host side ({@link ContainerHost}), runs {@code runc run} in the
 * foreground (the app's console is runc's stdout and stderr; SIGTERM to runc reaches the app,
 * pid 1 of its namespace), shows the host's forwarded URL when the app listens, and undoes the host
 * side when it ends, whatever the end.
 */
final class ContainerRun {
    private static final java.util.regex.Pattern GUEST_CLOCK =
            java.util.regex.Pattern.compile(" \\(guest clock [0-9.]+ s\\)");

    private ContainerRun() {}

    static int run(RunSpec.Container spec, EventSink events, CurrentProcess current, Host host)
            throws IOException, InterruptedException {
        var plan = spec.container();
        String runc = spec.launch().command().getFirst();
        try (var side = ContainerHost.prepare(plan, runc, events, host)) {
            var urls = side.urls();
            EventSink console = e -> {
                if (e instanceof Event.Ready r) {
                    // The app is pid 1 of its namespace, so the runtime adds the "guest clock" of a VM,
                    // which here is the host's uptime: left out.
                    String detail = GUEST_CLOCK.matcher(r.detail()).replaceAll("");
                    events.emit(new Event.Ready(
                            r.phase(),
                            r.phase().equals("listening") && !urls.isEmpty()
                                    ? String.join(", ", urls) + " (in the container: " + detail + ")"
                                    : detail,
                            r.sinceStart()));
                } else events.emit(e);
            };
            events.emit(new Event.Info("container " + plan.id() + ": " + plan.containerAddress() + "/" + plan.prefix()
                    + " in its own network namespace, host side " + plan.hostVeth() + " " + plan.hostAddress()));
            var app = new AppProcess(spec.launch(), console, "*", 0);
            if (!current.start(app)) return org.mirari.tool.error.ExitCode.INTERRUPTED.code();
            return app.awaitExit();
        }
    }
}
