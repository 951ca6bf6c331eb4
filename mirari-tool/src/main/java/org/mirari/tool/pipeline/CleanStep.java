package org.mirari.tool.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.mirari.tool.config.ConfigLocator;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.Cleaner;

/**
 * What {@code clean} does: removes what Mirari generated for the app under every name it may have
 * had (the conf's base name, and its {@code name} key when the conf still parses; a broken conf
 * still cleans), never a file of the user's.
 */
public final class CleanStep {
    private CleanStep() {}

    public static Cleaner.Result run(ToolContext context, String location, EventSink sink) {
        var located = ConfigLocator.locate(location, context.cwd());
        var names = new ArrayList<String>(
                List.of(located.file().getFileName().toString().replaceFirst("\\.conf$", "")));
        try {
            var name = located.parser(context.userHome())
                    .parseFile(List.of())
                    .name()
                    .value();
            if (!names.contains(name)) names.add(name);
        } catch (ConfigException e) {
            // A broken conf still cleans: only what its file name implies.
        }
        var result = Cleaner.clean(located.file().getParent(), names, sink);
        sink.emit(new Event.Info(result.removed().isEmpty() ? "nothing to clean" : "cleaned " + located.shownAs()));
        return result;
    }
}
