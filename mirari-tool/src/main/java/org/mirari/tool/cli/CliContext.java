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
 * @param cwd  the current directory (FILE|DIR arguments are relative to it)
 * @param env  the environment ({@code JAVA_HOME}, {@code HOME}, {@code MIRARI_JDK_SEARCH_PATH}...)
 * @param home the Mirari checkout (system property {@code mirari.home}) holding the runtime jars
 * @param out  where apps' standard output goes
 * @param err  where Mirari's own messages go
 */
public record CliContext(Path cwd, Map<String, String> env, Path home, PrintStream out, PrintStream err) {
    public CliContext {
        env = Map.copyOf(env);
    }

    /** The real process's context. */
    public static CliContext ofProcess() {
        var tool = ToolContext.ofProcess();
        return new CliContext(tool.cwd(), tool.env(), tool.home(), System.out, System.err);
    }

    /** What the core sees of this context. */
    public ToolContext tool() {
        return new ToolContext(cwd, env, home);
    }

    /** The event sink for this invocation, honouring {@code --quiet}. */
    public EventSink sink(boolean quiet) {
        return new ConsoleSink(out, err, cwd, quiet);
    }
}
