package org.mirari.tool.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.event.EventSink;

/**
 * What a command needs from the outside world: the core's {@link ToolContext} and the streams only
 * the CLI writes to, so that tests run commands in-process with their own directory, environment
 * and streams.
 *
 * @param cwd    the current directory (FILE|DIR arguments are relative to it)
 * @param env    the environment ({@code JAVA_HOME}, {@code HOME}, {@code MIRARI_JDK_SEARCH_PATH}...)
 * @param home   the Mirari checkout (system property {@code mirari.home}) holding the runtime jars
 * @param out    where apps' standard output goes (and, with {@code --json}, every event)
 * @param err    where Mirari's own messages go
 * @param output how to render: lines or JSON, colour, progress
 */
public record CliContext(
        Path cwd, Map<String, String> env, Path home, PrintStream out, PrintStream err, Output output) {
    public CliContext {
        env = Map.copyOf(env);
    }

    /** Plain output (no terminal): what tests and pipes get. */
    public CliContext(Path cwd, Map<String, String> env, Path home, PrintStream out, PrintStream err) {
        this(cwd, env, home, out, err, Output.PLAIN);
    }

    /**
     * The real process's context. Whether stderr is a terminal comes from {@code bin/mirari}
     * ({@code -Dmirari.stderr.tty}, its shell's {@code [ -t 2 ]}), since the JDK can only tell
     * about stdin and stdout; without it, from {@link java.io.Console#isTerminal()}.
     */
    public static CliContext ofProcess() {
        var tool = ToolContext.ofProcess();
        var tty = System.getProperty("mirari.stderr.tty");
        boolean terminal = tty != null
                ? tty.equals("true")
                : System.console() != null && System.console().isTerminal();
        return new CliContext(
                tool.cwd(),
                tool.env(),
                tool.home(),
                System.out,
                System.err,
                Output.of(tool.env(), terminal, false, false));
    }

    /** This context with the command line's {@code --json} and {@code --no-color}. */
    CliContext with(boolean json, boolean noColor) {
        var o = output.with(json, noColor);
        return o.equals(output) ? this : new CliContext(cwd, env, home, out, err, o);
    }

    /** What the core sees of this context. */
    public ToolContext tool() {
        return new ToolContext(cwd, env, home);
    }

    /** The event sink for this invocation: JSON lines, or lines for people honouring {@code --quiet}. */
    public EventSink sink(boolean quiet) {
        if (output.json()) return new JsonSink(out, cwd);
        return new ConsoleSink(out, err, cwd, quiet, output);
    }

    /**
     * A command's result line on stdout: as it is, or with {@code --json} as
     * {@code {"event":event,key:value}} (a dry run's trace, a name {@code stop} or {@code rm} handled).
     */
    public void result(String event, String key, String value) {
        if (output.json()) new JsonSink(out, cwd).result(event, key, value);
        else out.println(value);
    }
}
