package org.mirari.tool.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.event.Event;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.supervise.ConsoleLog;
import org.mirari.tool.supervise.Detach;
import org.mirari.tool.supervise.Lifecycle;
import org.mirari.tool.supervise.RestartPolicy;
import org.mirari.tool.supervise.StateDir;
import org.mirari.tool.targets.Target;

/**
 * {@code mirari run -d}: builds in the foreground (so build errors read as always), then hands the
 * run to a supervisor of its own and reports how the start went: the name on stdout, for scripts.
 */
final class DetachedRun {
    private DetachedRun() {}

    static int start(RunCommand run, CliContext context) throws Exception {
        var sink = context.sink(run.app.quiet());
        var pipeline =
                Pipeline.prepare(context.tool(), run.app.location(), run.target.requested(), run.target.sets(), sink);
        var build = pipeline.build();
        var target = pipeline.plan().target();
        RestartPolicy policy;
        try {
            policy = run.restart != null ? RestartPolicy.parse(run.restart) : defaultPolicy(pipeline, target);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        // What the supervisor will run, worked out here too: a backend that cannot run here says so now.
        pipeline.backend().launch(build, pipeline.boot(), run.options());
        var state = StateDir.of(context.tool());
        var args = new ArrayList<String>(run.arguments(context.cwd()));
        if (run.target.requested().isEmpty()) args.addFirst("--" + target.switchName());
        var request = new Detach.Request(
                Optional.ofNullable(run.name),
                build.name(),
                build.conf().toString(),
                target.switchName(),
                context.cwd(),
                args,
                policy);
        sink.emit(new Event.StepStarted("run", build.name() + " (--" + target.switchName() + "), detached"));
        var instance = Detach.start(state, request, dir -> supervisorCommand(context, dir));
        var row = new Lifecycle(state).row(instance);
        var s = row.status();
        int code;
        switch (s.state()) {
            case RUNNING, RESTARTING, STARTING -> {
                if (!s.address().isEmpty()) sink.emit(new Event.Info("ready: listening " + s.address()));
                sink.emit(new Event.Info(instance.name() + " runs in the background (--restart " + policy
                        + "): mirari logs " + instance.name() + ", mirari stop " + instance.name()));
                code = 0;
            }
            default -> {
                for (var line : ConsoleLog.tail(instance.consoleLog(), 20))
                    context.err().println(line);
                sink.emit(new Event.Warning(instance.name() + " " + row.state()
                        + (s.exitCode() >= 0 ? " with " + s.exitCode() : "")
                        + (s.message().isEmpty() ? "" : ": " + s.message())
                        + "; mirari logs " + instance.name() + " shows its console, mirari rm " + instance.name()
                        + " removes it"));
                code = s.failureCode() > 0 ? s.failureCode() : s.exitCode() == 0 ? 0 : 1;
            }
        }
        context.result("detached", "name", instance.name());
        return code;
    }

    /** Without {@code --restart}: what {@code xl-on_crash} means on a backend without xl, else {@code no}. */
    private static RestartPolicy defaultPolicy(Pipeline pipeline, Target target) {
        if (target.isVm()) return RestartPolicy.NO; // VMs apply on_crash themselves (xl's meaning on --xen)
        for (var x : pipeline.config().xl()) {
            if (x.key().equals("on_crash") && x.value() instanceof org.mirari.tool.config.XlParam.Text t)
                return RestartPolicy.fromOnCrash(t.value());
        }
        return RestartPolicy.NO;
    }

    /** This tool's own JVM again, running {@code mirari supervise DIR}. */
    static List<String> supervisorCommand(CliContext context, Path dir) {
        var cmd = new ArrayList<String>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(context.tool().property("java.home").orElse("") + "/bin/java"));
        for (var a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A training run's options are for the tool's own AOT cache: not for a supervisor.
            if (a.startsWith("-XX:AOTCacheOutput")
                    || a.startsWith("-XX:AOTMode")
                    || a.startsWith("-XX:AOTConfiguration")) continue;
            cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(context.tool().property("java.class.path").orElse(""));
        cmd.add(MirariCli.class.getName());
        cmd.add("supervise");
        cmd.add(dir.toString());
        return cmd;
    }
}
