package org.mirari.tool.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.mirari.tool.error.BackendException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mirari deploy ec2}: uploads the app's {@code --ec2} disk image as an EBS snapshot,
 * registers it as an AMI and, unless {@code --no-instance}, starts an instance of it.
 */
@Command(
        name = "ec2",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Deploys the app to Amazon EC2: uploads mir-<name>.disk.raw (mirari build --ec2) as an EBS snapshot, "
                    + "registers an AMI (UEFI, ENA, x86_64) and starts an instance whose user data carries the "
                    + "boot-time parameters; prints the AMI and instance ids.",
            "",
            "Credentials come from the AWS SDK's default chain (environment, profiles, SSO)."
        })
public final class DeployEc2Command implements Callable<Integer> {
    @ParentCommand
    DeployCommand deploy;

    @Mixin
    AppOptions app;

    @Option(names = "--region", paramLabel = "R", description = "The AWS region (default: the SDK's region chain).")
    String region;

    @Option(
            names = "--instance-type",
            paramLabel = "T",
            defaultValue = "t3.micro",
            description = "The instance type (default: ${DEFAULT-VALUE}; it must be a Nitro type with UEFI boot).")
    String instanceType;

    @Option(
            names = "--subnet",
            paramLabel = "S",
            description = "The subnet to start the instance in (default: the default VPC's).")
    String subnet;

    @Option(
            names = "--security-group",
            paramLabel = "G",
            description = "The security group of the instance (default: the VPC's default group).")
    String securityGroup;

    @Option(
            names = "--key-name",
            paramLabel = "K",
            description = "The EC2 key pair's name (the image has no SSH; only for the console).")
    String keyName;

    @Option(
            names = "--name",
            paramLabel = "N",
            description = "The name of the AMI, snapshot and instance (default: mirari-<app>).")
    String name;

    @Option(names = "--no-instance", description = "Register the AMI only; start no instance.")
    boolean noInstance;

    @Option(
            names = "--dry-run",
            description = "Print the exact plan (requests, sizes, boot-time parameters); touch no network.")
    boolean dryRun;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override or add a config key (repeatable); boot-time keys go into the instance's user data.")
    java.util.List<String> sets = new java.util.ArrayList<>();

    /** The options as given. */
    Optional<String> region() {
        return Optional.ofNullable(region);
    }

    @Override
    public Integer call() {
        throw new BackendException(
                "mirari deploy ec2 is not available in this build yet: the EC2 target (mirari build --ec2) and its "
                        + "upload are still being written (issue 14); build and run the app with --qemu meanwhile");
    }
}
