package org.mirari.tool.run;

import java.io.IOException;
import java.time.Duration;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * {@code mirari run} in the foreground: drives a {@link RunHandle} to its end and returns the app's
 * exit code. While it runs, Ctrl-C and SIGTERM (a shutdown hook of the tool) stop the app gracefully,
 * then by force, let the handle undo the host's preparation, and end the tool with 130.
 */
public final class Foreground {
    /** How long the host's clean-up (removing a tap, stopping the DHCP server) may take once the app is gone. */
    static final Duration CLEANUP = Duration.ofSeconds(15);

    private Foreground() {}

    /** Called just before a plain process starts: see {@link RunHandle.BeforeStart}. */
    public interface BeforeStart extends RunHandle.BeforeStart {
        BeforeStart NOTHING = p -> {};
    }

    /**
     * @param name  the app's name, for the closing message
     * @param label what the run step shows ({@code hello (--socket)})
     * @param host  the machine, whose host side a {@link RunSpec.HostPrepared} run prepares
     * @return the app's exit code
     */
    public static int run(RunSpec spec, String name, String label, EventSink sink, Host host, BeforeStart beforeStart)
            throws IOException, InterruptedException {
        var handle = RunHandle.create(spec, label, sink, host, beforeStart);
        int code = Interrupts.stoppable(
                () -> {
                    try {
                        handle.stop(AppProcess.GRACE);
                        handle.awaitEnd(CLEANUP);
                    } catch (InterruptedException e) {
                        // halting anyway
                    } finally {
                        sink.emit(new Event.Halting(130));
                        Runtime.getRuntime().halt(130);
                    }
                },
                () -> {
                    handle.start();
                    return handle.awaitExit();
                });
        if (code != 0) sink.emit(new Event.Info(name + " exited with " + code));
        return code;
    }
}
