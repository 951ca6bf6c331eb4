package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.pipeline.DryRun;
import org.mirari.tool.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari build}: configures when needed, then compiles and packages the app for its target. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Builds the app for its target.",
            "",
            "Runs configure first when its outputs are missing or the conf changed. With --socket (the default): "
                    + "compiles the app's sources (*.java beside the conf and under src/main/java) and the generated "
                    + "Main.java in-process, packages .mirari/socket/<name>.jar with its dependencies in "
                    + ".mirari/socket/lib/, and writes the launcher mir-<name> beside the conf. When no input "
                    + "changed (content hashes), it does nothing and says so.",
            "",
            "Boot-time keys (http-port, http-address, ip-*) given with --set need no rebuild: pass them to "
                    + "mirari run or to the launcher (mir-<name> http-port=9090)."
        })
public final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Option(names = "--dry-run", description = "Print the files the build would write; write nothing.")
    boolean dryRun;

    @Option(
            names = "--tar",
            description = "--oci: also write the image as an OCI archive, mir-<name>.oci.tar beside the conf.")
    boolean tar;

    @Option(
            names = "--push",
            paramLabel = "REF",
            description =
                    "--oci: push the image to a registry as REF (host[:port]/name[:tag]), with the credentials of "
                            + "~/.docker/config.json and its credential helpers; plain HTTP only to a registry on loopback.")
    String push;

    @Option(
            names = "--kernel-boot",
            description = "--qemu: also build the VM image's KubeVirt container disk (deploy k8s --vm names it), "
                    + "mir-<name>-kernelboot.oci.tar beside the conf; with --push REF, pushed there.")
    boolean kernelBoot;

    @Override
    public Integer call() {
        if (kernelBoot && !dryRun) {
            var sink = cli.context().sink(app.quiet());
            var pipeline =
                    Pipeline.prepare(cli.context().tool(), app.location(), target.requested(), target.sets(), sink);
            if (pipeline.plan().target() != org.mirari.tool.targets.Target.QEMU || tar)
                throw new org.mirari.tool.error.ConfigException(
                        "--kernel-boot is for the --qemu VM image (without --tar: it writes its archive anyway); "
                                + "use mirari build --qemu --kernel-boot [--push REF]");
            var built = pipeline.build();
            pipeline.kernelBootImage(built, java.util.Optional.ofNullable(push));
            return 0;
        }
        if ((tar || push != null) && dryRun) {
            var sink = cli.context().sink(app.quiet());
            var pipeline =
                    Pipeline.prepare(cli.context().tool(), app.location(), target.requested(), target.sets(), sink);
            requireOci(pipeline);
            DryRun.build(pipeline).forEach(cli.context().out()::println);
            if (tar) cli.context().out().println("  write " + pipeline.ociTarName() + ": the image as an OCI archive");
            if (push != null) cli.context().out().println("  push the image to " + push);
            return 0;
        }
        if (tar || push != null) {
            var sink = cli.context().sink(app.quiet());
            var pipeline =
                    Pipeline.prepare(cli.context().tool(), app.location(), target.requested(), target.sets(), sink);
            requireOci(pipeline);
            var built = pipeline.build();
            if (tar) pipeline.ociTar(built);
            if (push != null) pipeline.ociPush(built, push);
            return 0;
        }
        return execute(cli.context(), app, target, dryRun);
    }

    private static void requireOci(Pipeline pipeline) {
        if (pipeline.plan().target() != org.mirari.tool.targets.Target.OCI)
            throw new org.mirari.tool.error.ConfigException(
                    "--tar and --push are for OCI images; add --oci (the target is --"
                            + pipeline.plan().target().switchName() + ")");
    }

    static int execute(CliContext context, AppOptions app, TargetOptions target, boolean dryRun) {
        var sink = context.sink(app.quiet());
        var pipeline = Pipeline.prepare(context.tool(), app.location(), target.requested(), target.sets(), sink);
        if (dryRun) DryRun.build(pipeline).forEach(l -> context.result("dry-run", "line", l));
        else pipeline.build();
        return 0;
    }
}
