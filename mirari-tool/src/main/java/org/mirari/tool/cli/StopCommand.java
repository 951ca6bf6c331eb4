package org.mirari.tool.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.supervise.Lifecycle;
import org.mirari.tool.supervise.StateDir;
import org.mirari.tool.supervise.Supervisor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mirari stop}: graceful first, then forced. */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = {
            "Stops detached instances: SIGTERM to the app (it finishes requests in flight), SIGKILL after the "
                    + "timeout; the host side (a tap) is undone. Prints each name. The instance stays listed by "
                    + "mirari ps -a until mirari rm."
        })
public final class StopCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            description = "Seconds the app has to stop before it is killed (default: 10).")
    double timeout = Supervisor.DEFAULT_GRACE.toSeconds();

    @Option(names = "--all", description = "Stop every running instance.")
    boolean all;

    @Parameters(paramLabel = "NAME", arity = "0..*")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        var context = cli.context();
        if (names.isEmpty() != all) throw new ConfigException("name the instances to stop, or give --all (not both)");
        if (timeout < 0) throw new ConfigException("--timeout " + timeout + " is negative; give seconds, 0 or more");
        var lifecycle = new Lifecycle(StateDir.of(context.tool()));
        var found = all
                ? new InstanceArgs(
                        lifecycle.list(false).stream()
                                .map(Lifecycle.Row::instance)
                                .toList(),
                        List.of())
                : InstanceArgs.of(lifecycle.state(), names);
        var grace = Duration.ofMillis((long) (timeout * 1000));
        // Each in its own thread: stopping ten instances takes one grace period, not ten.
        var threads = new ArrayList<Thread>();
        for (var i : found.found()) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    lifecycle.stop(i, grace);
                } catch (Exception e) {
                    context.err().println("mirari: cannot stop " + i.name() + ": " + e.getMessage());
                }
            }));
        }
        for (var t : threads) t.join();
        found.found().forEach(i -> context.result("stopped", "name", i.name()));
        return found.report(context);
    }
}
