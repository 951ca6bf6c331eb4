package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mirari.tool.backend.PortForward;
import org.mirari.tool.backend.RunOptions;
import org.mirari.tool.backend.TapPlan;
import org.mirari.tool.backend.UnixBackend;
import org.mirari.tool.run.TapHost;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.event.Event;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.target.Target;
import org.mirari.tool.run.AppProcess;
import org.mirari.tool.run.PortCheck;
import org.mirari.tool.run.VmRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari run}: builds when stale, starts the app, shows its console, ends with its exit code. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the app on its target, building it first when anything changed.",
            "",
            "With --socket (the default) the app is a JVM process on this machine's sockets. Its console is "
                    + "streamed; when it is ready, its URL is shown. Ctrl-C or SIGTERM stops it (and anything it "
                    + "started); mirari exits with the app's exit code (130 when interrupted).",
            "",
            "Boot-time keys need no rebuild: mirari run --set http-port=9090. A port that is in use, or "
                    + "privileged without the right, fails at once (exit 5) with the fix."})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Option(names = "--no-aot-cache",
            description = "Do not use (or write) the JEP 514 AOT cache that makes later starts faster.")
    boolean noAotCache;

    @Option(names = {"-p", "--publish"}, paramLabel = "[ADDR:]HOST:GUEST",
            description = "--qemu: forward a host TCP port to the guest (repeatable; host port 0 picks a free one). "
                    + "Default: the app's http-port on 127.0.0.1, or a free port when that one is taken.")
    List<String> publish = new ArrayList<>();

    @Option(names = "--dry-run", description = "Build as needed, then print the command that would start the app.")
    boolean dryRun;

    @Option(names = "--tap", paramLabel = "NAME",
            description = "--unix: the tap device to create (removed on exit) or reuse (default: " + RunOptions.DEFAULT_TAP + "). "
                    + "--qemu: attach the guest's NIC to this existing tap instead of user networking.")
    String tap;

    @Option(names = "--host-address", paramLabel = "ADDRESS/PREFIX",
            description = "--unix: the host side's address on the tap (default: the app's gateway, or 10.0.0.1/24 with DHCP).")
    String hostAddress;

    @Override
    public Integer call() throws Exception {
        var forwards = publish.stream().map(PortForward::parse).toList();
        var options = new RunOptions(!noAotCache, tap == null ? RunOptions.DEFAULT_TAP : tap,
                Optional.ofNullable(hostAddress), forwards, Optional.ofNullable(tap));
        return execute(cli.context(), app, target, options, dryRun, null);
    }

    /**
     * The command, also reached without picocli for everyday command lines ({@link FastPath}).
     *
     * @param args the command line as given, to record for {@link QuickRun} (null: do not record)
     */
    static int execute(CliContext context, AppOptions app, TargetOptions target, RunOptions options, boolean dryRun,
                       String[] args) throws Exception {
        var sink = context.sink(app.quiet());
        var pipeline = Pipeline.prepare(context.tool(), app.location(), target.requested(), target.sets(), sink);
        var build = pipeline.build();
        var launch = pipeline.backend().launch(build, pipeline.bootOverrides(), options);
        // A main-noip app has no network: it needs no tap (and so no root) on --unix.
        var tapPlan = pipeline.backend() instanceof UnixBackend unix && pipeline.config().main().kind() != EntryPoint.Kind.NOIP
                ? Optional.of(unix.tapPlan(build, pipeline.boot(), options)) : Optional.<TapPlan>empty();
        if (dryRun) {
            tapPlan.ifPresent(p -> {
                p.createCommands().forEach(c -> context.out().println(String.join(" ", c)));
                p.dnsmasqCommand("dnsmasq").ifPresent(c -> context.out().println(String.join(" ", c)));
            });
            // A VM's command has a kernel command line with spaces: quote it so it can be pasted into a shell.
            context.out().println(String.join(" ", launch.vm().isPresent()
                    ? launch.command().stream().map(RunCommand::shellQuote).toList() : launch.command()));
            return 0;
        }
        if (launch.vm().isPresent()) {
            sink.emit(new Event.StepStarted("run", build.name() + " (--" + pipeline.plan().target().switchName() + ")"));
            int code = VmRun.run(launch, sink);
            if (code != 0) sink.emit(new Event.Info(build.name() + " exited with " + code));
            return code;
        }
        String address = "*";
        int port = 0;
        if (pipeline.config().main().kind() == EntryPoint.Kind.HTTP) {
            address = pipeline.boot().getOrDefault("http-address", "*");
            port = Integer.parseInt(pipeline.boot().getOrDefault("http-port", Integer.toString(Config.DEFAULT_HTTP_PORT)));
            if (tapPlan.isEmpty()) PortCheck.requireBindable(address, port); // on --unix the app listens on its own stack
        }
        launch.aotTraining().ifPresent(aot -> sink.emit(new Event.Info(
                "first run: recording an AOT cache for faster starts (written when the app stops)")));
        if (args != null && pipeline.plan().target() == Target.SOCKET) {
            QuickRun.record(args, context, pipeline, build, launch, address, port);
        }
        sink.emit(new Event.StepStarted("run", build.name() + " (--" + pipeline.plan().target().switchName() + ")"));
        int code;
        if (tapPlan.isPresent()) {
            try (var host = TapHost.prepare(tapPlan.get(), sink)) {
                code = new AppProcess(launch, sink, address, port).onStop(host::close).run();
            }
        } else {
            code = new AppProcess(launch, sink, address, port).run();
        }
        if (code != 0) sink.emit(new Event.Info(build.name() + " exited with " + code));
        return code;
    }

    static String shellQuote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_=:,./@+%".indexOf(c) >= 0)) return arg;
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
