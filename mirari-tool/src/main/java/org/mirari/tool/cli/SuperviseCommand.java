package org.mirari.tool.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.mirari.tool.error.MirariException;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.supervise.ConsoleLog;
import org.mirari.tool.supervise.Instance;
import org.mirari.tool.supervise.Supervisor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mirari supervise DIR} (internal; {@code run -d} starts it): the supervisor of one detached
 * instance. Its console goes to the instance's rotated {@code console.log}, rendered as in the
 * foreground.
 */
@Command(name = "supervise", hidden = true, description = "Internal: supervise a detached instance.")
public final class SuperviseCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws Exception {
        var instance = Instance.read(dir).orElseThrow(() -> new IllegalStateException("no instance in " + dir));
        var outer = cli.context();
        var log = new PrintStream(
                new ConsoleLog(instance.consoleLog(), ConsoleLog.MAX_BYTES), true, StandardCharsets.UTF_8);
        var context = new CliContext(instance.cwd(), outer.env(), outer.home(), log, log);
        var sink = context.sink(false);
        try {
            var args = new ArrayList<String>();
            args.add("run");
            args.addAll(instance.args());
            var cl = new CommandLine(new MirariCli(context));
            TargetOptions.addSwitches(cl.getCommandSpec());
            var run = (RunCommand) cl.parseArgs(args.toArray(String[]::new))
                    .subcommand()
                    .commandSpec()
                    .userObject();
            var pipeline = Pipeline.prepare(
                    context.tool(), run.app.location(), run.target.requested(), run.target.sets(), sink);
            var build = pipeline.build();
            var spec = pipeline.backend().launch(build, pipeline.boot(), run.options());
            var label = build.name() + " (--" + pipeline.plan().target().switchName() + ")";
            return new Supervisor(instance, spec, label, sink, pipeline.host()).run();
        } catch (MirariException e) {
            log.println("mirari: " + e.getMessage());
            Supervisor.failedBeforeStart(instance, e.exitCode().code(), e.getMessage());
            return e.exitCode().code();
        }
    }
}
