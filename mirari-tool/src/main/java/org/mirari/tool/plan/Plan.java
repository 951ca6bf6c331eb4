package org.mirari.tool.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.targets.Target;

/**
 * What to generate and build for one target: the parsed conf, the target, the JDK, and where
 * every output goes ({@link #outputs()}, the one place output names are worked out).
 *
 * @param target     the backend: {@code compiler: ...+<target>} if given, else the switch, else socket
 * @param targetNote set when the conf's target overrode a different command-line switch
 */
public record Plan(Config config, Target target, Jdk jdk, Optional<String> targetNote) {

    /**
     * Chooses the target and the JDK for a config.
     *
     * @param requested the command line's target switch, if any
     * @param env        the environment ({@code JAVA_HOME}, {@code MIRARI_JDK_SEARCH_PATH})
     * @param properties the system properties ({@code mirari.java.home}, {@code java.home}: the tool's own JDK)
     */
    public static Plan of(
            Config config, Optional<Target> requested, Map<String, String> env, Map<String, String> properties) {
        var fromConf = config.compiler().flatMap(c -> c.target());
        var target = fromConf.or(() -> requested).orElse(Target.SOCKET);
        Optional<String> note = Optional.empty();
        if (fromConf.isPresent() && requested.isPresent() && fromConf.get() != requested.get()) {
            note = Optional.of(config.compiler().get().at() + ": compiler names target "
                    + fromConf.get().switchName() + ", which takes precedence over --"
                    + requested.get().switchName());
        }
        if (target == Target.JS && config.main().kind() == EntryPoint.Kind.IP) {
            throw new ConfigException(config.main().at() + ": main-ip cannot run on --js: JavaScript has no raw"
                    + " network (a browser lets a page speak HTTP through fetch only); use main-http (served by a"
                    + " Service Worker) or main-noip (run by Node), or another target such as --socket");
        }
        return new Plan(config, target, chooseJdk(config, env, properties), note);
    }

    private static Jdk chooseJdk(Config config, Map<String, String> env, Map<String, String> properties) {
        var spec = config.compiler();
        if (spec.isPresent() && spec.get().home().isPresent()) {
            var home = spec.get().home().get();
            return Jdk.at(home)
                    .orElseThrow(() -> new ConfigException(spec.get().at() + ": compiler " + home
                            + " has no readable release file; give the home of a JDK " + 25 + " or newer"));
        }
        var candidates = Jdk.candidates(env, properties);
        var feature = spec.flatMap(c -> c.feature());
        if (feature.isEmpty()) {
            return candidates.stream()
                    .filter(j -> j.feature() >= 25)
                    .findFirst()
                    .orElseThrow(() -> new ConfigException("no JDK 25 or newer found (seen: " + seen(candidates)
                            + "); install one under /usr/lib/jvm or set JAVA_HOME"));
        }
        return candidates.stream()
                .filter(j -> j.feature() == feature.get())
                .findFirst()
                .orElseThrow(() -> new ConfigException(spec.get().at() + ": compiler " + feature.get() + ": no JDK "
                        + feature.get() + " found (seen: " + seen(candidates)
                        + "); install it under /usr/lib/jvm or give its home, e.g. compiler: /path/to/jdk"));
    }

    private static String seen(List<Jdk> jdks) {
        return jdks.isEmpty()
                ? "none"
                : jdks.stream().map(j -> j.home() + " (" + j.feature() + ")").collect(Collectors.joining(", "));
    }

    /** The app's directory (the conf's). */
    public Path appDir() {
        return config.dir();
    }

    public String name() {
        return config.name().value();
    }

    /** Where every output of this app goes. */
    public Outputs outputs() {
        return new Outputs(appDir(), name());
    }

    /** {@code .mirari/<target>}: this target's build outputs. */
    public Path buildDir() {
        return outputs().buildDir(target);
    }
}
