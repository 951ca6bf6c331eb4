package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mirari.tool.output.Cleaner;
import org.mirari.tool.config.ConfigLocator;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.event.Event;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code mirari clean}: removes what Mirari generated for an app, never a file of the user's. */
@Command(name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Removes what Mirari generated for the app.",
            "",
            "Removes the .mirari/ directory and the files Mirari generated beside the conf: the stamped "
                    + "Main.java, pom.xml, lock file, launcher, xl config and VM images. A file with one of those names "
                    + "but without Mirari's stamp is yours: it is kept and named. Works on a broken conf too."})
public final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Override
    public Integer call() {
        var context = cli.context();
        var sink = context.sink(app.quiet());
        var located = ConfigLocator.locate(app.location(), context.cwd());
        var names = new ArrayList<String>(List.of(located.file().getFileName().toString().replaceFirst("\\.conf$", "")));
        try {
            var name = located.parser().parseFile(List.of()).name().value();
            if (!names.contains(name)) names.add(name);
        } catch (ConfigException e) {
            // A broken conf still cleans: only what its file name implies.
        }
        var result = Cleaner.clean(located.file().getParent(), names, sink);
        sink.emit(new Event.Info(result.removed().isEmpty() ? "nothing to clean" : "cleaned " + located.shownAs()));
        return 0;
    }
}
