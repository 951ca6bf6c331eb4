package org.mirari.tool.context;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the tool's core needs from the outside world, passed down instead of read from globals, so
 * that tests run the pipeline in-process with their own directory, environment and checkout.
 *
 * @param cwd        the current directory (FILE|DIR arguments and messages are relative to it)
 * @param env        the environment ({@code JAVA_HOME}, {@code HOME}, {@code PATH}, {@code SOURCE_DATE_EPOCH}...)
 * @param home       the Mirari checkout (system property {@code mirari.home}) holding the runtime jars
 * @param properties the system properties the tool reads ({@code user.name}, {@code mirari.cache}...)
 */
public record ToolContext(Path cwd, Map<String, String> env, Path home, Map<String, String> properties) {
    public ToolContext {
        env = Map.copyOf(env);
        properties = Map.copyOf(properties);
    }

    public ToolContext(Path cwd, Map<String, String> env, Path home) {
        this(cwd, env, home, processProperties());
    }

    /** The real process's context: with {@link #processProperties()}, the one place the tool reads its environment. */
    public static ToolContext ofProcess() {
        var home = System.getProperty("mirari.home", ".");
        return new ToolContext(
                Path.of("").toAbsolutePath(),
                System.getenv(),
                Path.of(home).toAbsolutePath().normalize(),
                processProperties());
    }

    /** A snapshot of this process's system properties. */
    public static Map<String, String> processProperties() {
        var m = new TreeMap<String, String>();
        System.getProperties().stringPropertyNames().forEach(k -> m.put(k, System.getProperty(k)));
        return m;
    }

    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    /** The user's home directory (system property {@code user.home}), which {@code ~/} in a conf's paths names. */
    public Optional<Path> userHome() {
        return property("user.home").map(Path::of);
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name)).filter(v -> !v.isBlank());
    }
}
