package org.mirari.tool.cli;

import java.io.PrintWriter;
import java.util.regex.Pattern;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.error.ExitCode;
import org.mirari.tool.error.MirariException;
import org.mirari.tool.plan.ToolVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code mirari} command. Subcommands are registered in the {@code subcommands} list below:
 * one class per command, each a {@code Callable<Integer>} that reaches its {@link CliContext}
 * through {@code @ParentCommand MirariCli} and mixes in {@link AppOptions} (and
 * {@link TargetOptions} where a target applies). Failures are {@link MirariException}s; this class
 * alone turns them into messages and exit codes.
 */
@Command(
        name = "mirari",
        mixinStandardHelpOptions = true,
        versionProvider = MirariCli.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Turns a <name>.conf (the original Mirage application builder's format) and a few Java classes "
                    + "into a running network appliance: a JVM on host sockets, a JVM on a tap with Mirari's own "
                    + "TCP/IP stack, or a micro-VM under QEMU or Xen.",
            ""
        },
        subcommands = {
            InitCommand.class,
            ConfigureCommand.class,
            BuildCommand.class,
            RunCommand.class,
            DeployCommand.class,
            CleanCommand.class,
            PsCommand.class,
            LogsCommand.class,
            StopCommand.class,
            RmCommand.class,
            DoctorCommand.class,
            CompletionCommand.class,
            ManCommand.class,
            SuperviseCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    ok",
            "  1    the app itself failed",
            "  2    usage or config error",
            "  3    dependency resolution failed",
            "  4    build failed",
            "  5    the backend cannot run here (the message says the fix)",
            "  6    a directory Mirari needs is missing or not writable (the message says how to choose another)",
            "  70   internal error (a bug in Mirari; please report it with the stack trace)",
            "  130  interrupted"
        })
public final class MirariCli implements Runnable {
    /** Exit code for a failure that is a bug in Mirari rather than in the app or its config. */
    public static final int INTERNAL_ERROR = 70;

    private static final Pattern POSITIONED = Pattern.compile("^\\S+(:\\d+:\\d+)?: .*", Pattern.DOTALL);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "Print every event as one JSON object per line on stdout (the schema is in the README), "
                    + "ending with {\"event\":\"exit\",\"code\":N}.")
    boolean json;

    @Option(
            names = "--no-color",
            scope = ScopeType.INHERIT,
            description = "No colour and no progress display, even on a terminal (as NO_COLOR=1 does).")
    boolean noColor;

    MirariCli(CliContext context) {
        this.context = context;
    }

    /** What commands use to reach the outside world, rendering as the command line asks. */
    public CliContext context() {
        return context.with(json, noColor);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing command: try mirari configure, or mirari --help");
    }

    public static void main(String[] args) {
        System.exit(run(args, CliContext.ofProcess()));
    }

    /** Runs the command line in-process and returns the exit code (what tests call). */
    public static int run(String[] args, CliContext context) {
        var everyday = FastPath.parse(args);
        if (everyday.isPresent()) {
            var ctx = context.with(false, everyday.get().noColor());
            try {
                return everyday.get().call(ctx);
            } catch (Exception ex) {
                report(ex, ctx);
                return exitCodeOf(ex);
            }
        }
        var cl = commandLine(context);
        MirariCli cli = cl.getCommand();
        cl.setOut(new PrintWriter(context.out(), true));
        cl.setErr(new PrintWriter(context.err(), true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(
                context.output().color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            report(ex, cli.context());
            return exitCodeOf(ex);
        });
        // A usage error may come before --json is parsed: the word alone decides how it is reported.
        boolean json = java.util.Arrays.asList(args).contains("--json");
        var usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            if (!json) return usage.handleParseException(ex, rest);
            new JsonSink(context.out(), context.cwd()).error(ex.getMessage(), ExitCode.CONFIG.code());
            return ExitCode.CONFIG.code();
        });
        int code = cl.execute(args);
        if (cli.json || json) new JsonSink(context.out(), context.cwd()).exit(code);
        return code;
    }

    /**
     * The whole command model, target switches included: what runs, and what completion scripts
     * and the man pages (module mirari-man, at build time) describe.
     */
    public static CommandLine commandLine(CliContext context) {
        var cl = new CommandLine(new MirariCli(context));
        TargetOptions.addSwitches(cl.getCommandSpec());
        return cl;
    }

    /** The single mapping from a failure to the process's exit code. */
    public static int exitCodeOf(Throwable t) {
        var machine = EnvironmentException.ofUnhandled(t);
        if (machine.isPresent()) return machine.get().exitCode().code();
        return switch (t) {
            case MirariException m -> m.exitCode().code();
            case InterruptedException i -> ExitCode.INTERRUPTED.code();
            case CommandLine.ParameterException p -> ExitCode.CONFIG.code();
            default -> INTERNAL_ERROR;
        };
    }

    private static void report(Exception failure, CliContext context) {
        // An I/O failure that no step put in words is still the machine's, not a bug: one line, no trace.
        Exception ex = EnvironmentException.ofUnhandled(failure)
                .map(Exception.class::cast)
                .orElse(failure);
        if (context.output().json()) {
            reportJson(ex, context);
            return;
        }
        var err = context.err();
        boolean c = context.output().color();
        switch (ex) {
            case ConfigException ce -> {
                ce.warnings().forEach(w -> err.println("mirari: " + Ansi.yellow(c, "warning: " + w)));
                for (var line : ce.problems()) {
                    // Positioned problems (app.conf:7:11: ...) print as compilers do, so editors can jump to them.
                    err.println(
                            line.startsWith("--set:")
                                            || (POSITIONED.matcher(line).matches() && line.contains(".conf"))
                                    ? Ansi.red(c, line)
                                    : "mirari: " + Ansi.red(c, line));
                }
            }
            case MirariException m -> {
                err.println("mirari: " + Ansi.red(c, m.getMessage()));
                if (m.getCause() != null && context.env().containsKey("MIRARI_DEBUG")) m.printStackTrace(err);
            }
            case InterruptedException i -> err.println("mirari: interrupted");
            default -> {
                err.println("mirari: "
                        + Ansi.red(c, "internal error (a bug in Mirari; please report it with this trace):"));
                ex.printStackTrace(err);
            }
        }
    }

    /** The same failures as {@code error} events (one per problem), before the {@code exit} event. */
    private static void reportJson(Exception ex, CliContext context) {
        var sink = new JsonSink(context.out(), context.cwd());
        int code = exitCodeOf(ex);
        switch (ex) {
            case ConfigException ce -> {
                ce.warnings().forEach(w -> sink.emit(new org.mirari.tool.event.Event.Warning(w)));
                ce.problems().forEach(p -> sink.error(p, code));
            }
            case MirariException m -> sink.error(m.getMessage(), code);
            case InterruptedException i -> sink.error("interrupted", code);
            default -> {
                sink.error("internal error (a bug in Mirari; please report it with this trace): " + ex, code);
                ex.printStackTrace(context.err());
            }
        }
    }

    /** {@code --version}: Mirari's version and the JDK it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "mirari " + ToolVersion.current(),
                "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"
            };
        }
    }
}
