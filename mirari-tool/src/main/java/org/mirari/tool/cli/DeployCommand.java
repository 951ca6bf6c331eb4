package org.mirari.tool.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mirari deploy}: the parent of one subcommand per place an app can be deployed to
 * ({@code deploy ec2}; {@code deploy k8s} beside it). Each subcommand reaches the
 * {@link CliContext} through {@link #context()}; a deploy target that needs a large client library
 * (the AWS SDK, a Kubernetes client) loads it only when its subcommand runs, so that the tool's
 * everyday commands start as fast as before.
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Deploys the app's image to a cloud: one subcommand per place (mirari deploy ec2 --help).",
            "",
            "Each subcommand builds the app for its target first when the build is missing or stale, "
                    + "and --dry-run prints the exact plan without touching the network."
        },
        subcommands = {DeployEc2Command.class, DeployK8sCommand.class})
public final class DeployCommand implements Runnable {
    @ParentCommand
    MirariCli cli;

    @Spec
    CommandSpec spec;

    /** What the deploy subcommands use to reach the outside world. */
    CliContext context() {
        return cli.context();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing where to deploy: try mirari deploy "
                        + String.join(", mirari deploy ", spec.subcommands().keySet()));
    }
}
