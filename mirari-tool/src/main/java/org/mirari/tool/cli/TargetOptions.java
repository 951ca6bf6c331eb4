package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.targets.Target;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The target switches and {@code --set}, shared by configure, build and run. The switches are not
 * written here: {@link #addSwitches} derives one per {@link Target} (a new target is a new switch
 * with no change to the CLI).
 */
public final class TargetOptions {
    private Target requested;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Override or add a config key (repeatable); list keys given by --set replace the conf's list.")
    List<String> sets = new ArrayList<>();

    /** The switch given, if any; {@code compiler: ...+<target>} in the conf wins over it. */
    public Optional<Target> requested() {
        return Optional.ofNullable(requested);
    }

    /** What {@code --<target>} does (also how {@link FastPath} reads {@code --socket}). */
    void request(Target target) {
        requested = target;
    }

    public List<String> sets() {
        return List.copyOf(sets);
    }

    /**
     * Adds the exclusive group of target switches to every command of {@code root} that mixes these
     * options in, right after {@link AppOptions}' options, where the help lists them.
     */
    static void addSwitches(CommandSpec root) {
        for (var sub : root.subcommands().values()) {
            var spec = sub.getCommandSpec();
            for (var mixin : spec.mixins().values()) {
                if (mixin.userObject() instanceof TargetOptions options) {
                    var first = spec.options().stream()
                            .filter(o -> !(o.userObject() instanceof java.lang.reflect.Field f
                                    && f.getDeclaringClass() == AppOptions.class))
                            .toList();
                    first.forEach(spec::remove);
                    spec.addArgGroup(options.switches());
                    first.forEach(spec::addOption);
                }
            }
        }
    }

    private ArgGroupSpec switches() {
        var group = ArgGroupSpec.builder().exclusive(true).multiplicity("0..1");
        for (var target : Target.values()) {
            ISetter setter = new ISetter() {
                @Override
                public <T> T set(T value) {
                    if (Boolean.TRUE.equals(value)) request(target);
                    return null;
                }
            };
            group.addArg(OptionSpec.builder("--" + target.switchName())
                    .arity("0")
                    .type(boolean.class)
                    .description(target.summary())
                    .setter(setter)
                    .build());
        }
        return group.build();
    }
}
