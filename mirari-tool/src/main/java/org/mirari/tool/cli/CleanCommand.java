package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.pipeline.CleanStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code mirari clean}: removes what Mirari generated for an app, never a file of the user's. */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Removes what Mirari generated for the app.",
            "",
            "Removes the .mirari/ directory and the files Mirari generated beside the conf: the stamped "
                    + "Main.java, pom.xml, lock file, launcher, xl config and VM images. A file with one of those names "
                    + "but without Mirari's stamp is yours: it is kept and named. Works on a broken conf too.",
            "",
            "With --snapshots: removes every VM snapshot in Mirari's cache instead (they hold guest memory)."
        })
public final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @picocli.CommandLine.Option(
            names = "--snapshots",
            description = "Remove every --qemu snapshot from Mirari's cache (<cache>/snapshots), not the app's files.")
    boolean snapshots;

    @Override
    public Integer call() throws java.io.IOException {
        if (snapshots) {
            var sink = cli.context().sink(app.quiet());
            var host = new org.mirari.tool.backend.Host(cli.context().tool());
            var store = new org.mirari.tool.snapshot.SnapshotStore(
                    org.mirari.tool.snapshot.SnapshotStore.root(host.cacheDir()));
            boolean any = java.nio.file.Files.exists(store.root());
            long freed = store.clean();
            sink.emit(new org.mirari.tool.event.Event.Info(
                    any
                            ? String.format(
                                    java.util.Locale.ROOT,
                                    "removed the snapshots in %s (%.1f MB)",
                                    store.root(),
                                    freed / 1e6)
                            : "no snapshots in " + store.root()));
            return 0;
        }
        CleanStep.run(cli.context().tool(), app.location(), cli.context().sink(app.quiet()));
        return 0;
    }
}
