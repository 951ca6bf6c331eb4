package org.mirari.tool.context;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the tool's core needs from the outside world, passed down instead of read from globals, so
 * that tests run the pipeline in-process with their own directory, environment and checkout.
 *
 * @param cwd  the current directory (FILE|DIR arguments and messages are relative to it)
 * @param env  the environment ({@code JAVA_HOME}, {@code HOME}, {@code MIRARI_JDK_SEARCH_PATH}...)
 * @param home the Mirari checkout (system property {@code mirari.home}) holding the runtime jars
 */
public record ToolContext(Path cwd, Map<String, String> env, Path home) {
    public ToolContext {
        env = Map.copyOf(env);
    }

    /** The real process's context: the one place the tool reads its environment and {@code mirari.home}. */
    public static ToolContext ofProcess() {
        var home = System.getProperty("mirari.home", ".");
        return new ToolContext(Path.of("").toAbsolutePath(), System.getenv(), Path.of(home).toAbsolutePath().normalize());
    }
}
