package org.mirari.tool.run;

import java.io.IOException;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * Runs a built app in the foreground from its backend's {@link RunSpec} to its end: checks the port,
 * prepares the host (and undoes it), spawns, follows the console and readiness, forwards Ctrl-C and
 * SIGTERM, and returns the app's exit code. One exhaustive {@code switch} carries out every kind of
 * run. A library component, not a command: {@code mirari run} drives it in the foreground, and a
 * supervisor can drive it for a detached instance.
 */
public final class Foreground {
    private Foreground() {}

    /** Called just before a plain process starts (after the port check): {@code mirari run} records its quick run there. */
    @FunctionalInterface
    public interface BeforeStart {
        void accept(RunSpec.Process process) throws IOException;

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
        int code =
                switch (spec) {
                    case RunSpec.Process p -> {
                        p.listen().ifPresent(l -> PortCheck.requireBindable(l.address(), l.port()));
                        trainingNote(p, sink);
                        beforeStart.accept(p);
                        sink.emit(new Event.StepStarted("run", label));
                        yield process(p.launch(), p.listen(), sink).run();
                    }
                    case RunSpec.HostPrepared h -> {
                        // The app listens on its own stack, not on the host's sockets: no port check here.
                        trainingNote(h, sink);
                        sink.emit(new Event.StepStarted("run", label));
                        try (var tap = TapHost.prepare(h.host(), sink, host)) {
                            yield process(h.launch(), h.listen(), sink)
                                    .onStop(tap::close)
                                    .run();
                        }
                    }
                    case RunSpec.VmConsole v -> {
                        sink.emit(new Event.StepStarted("run", label));
                        yield VmRun.run(v, sink);
                    }
                };
        if (code != 0) sink.emit(new Event.Info(name + " exited with " + code));
        return code;
    }

    private static void trainingNote(RunSpec spec, EventSink sink) {
        spec.launch()
                .aotTraining()
                .ifPresent(aot -> sink.emit(new Event.Info(
                        "first run: recording an AOT cache for faster starts (written when the app stops)")));
    }

    private static AppProcess process(
            org.mirari.tool.backend.Launch launch, java.util.Optional<RunSpec.Listen> listen, EventSink sink) {
        return new AppProcess(
                launch,
                sink,
                listen.map(RunSpec.Listen::address).orElse("*"),
                listen.map(RunSpec.Listen::port).orElse(0));
    }
}
