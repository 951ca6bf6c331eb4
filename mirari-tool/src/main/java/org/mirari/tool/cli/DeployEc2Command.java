package org.mirari.tool.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mirari.tool.backend.Ec2Backend;
import org.mirari.tool.deploy.DiskBlocks;
import org.mirari.tool.deploy.Ec2Deployer;
import org.mirari.tool.deploy.Ec2Plan;
import org.mirari.tool.deploy.Ec2Request;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.targets.Target;
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

    @Override
    public Integer call() throws Exception {
        var context = deploy.context();
        var sink = context.sink(app.quiet());
        var pipeline = Pipeline.prepare(context.tool(), app.location(), Optional.of(Target.EC2), sets, sink);
        var plan = pipeline.plan();
        if (plan.target() != Target.EC2) {
            throw new ConfigException(plan.config().fileName() + ": compiler names target "
                    + plan.target().switchName()
                    + ", but mirari deploy ec2 deploys an --ec2 disk; remove the +"
                    + plan.target().switchName()
                    + " from compiler: (or use its own deploy command)");
        }
        Path disk = plan.outputs().vmDisk();
        var boot = new LinkedHashMap<>(Ec2Backend.bootParameters(plan.config()));
        boot.putAll(pipeline.boot().overrides());
        var request = new Ec2Request(
                name != null ? name : "mirari-" + plan.name(),
                Optional.ofNullable(region),
                instanceType,
                Optional.ofNullable(subnet),
                Optional.ofNullable(securityGroup),
                Optional.ofNullable(keyName),
                !noInstance,
                disk,
                boot,
                pipeline.boot().httpPort(),
                endpoint(context, "AWS_ENDPOINT_URL_EC2"),
                endpoint(context, "AWS_ENDPOINT_URL_EBS"));
        if (dryRun) {
            var blocks = Files.isRegularFile(disk) ? Optional.of(DiskBlocks.scan(disk)) : Optional.<DiskBlocks>empty();
            for (String line : Ec2Plan.lines(request, blocks)) context.result("dry-run", "line", line);
            return 0;
        }
        pipeline.build();
        var result = Ec2Deployer.load(context.home()).deploy(request, DiskBlocks.scan(disk), sink);
        context.result("deployed", "ami", result.imageId());
        result.instanceId().ifPresent(i -> context.result("deployed", "instance", i));
        result.url().ifPresent(u -> context.result("deployed", "url", u));
        return 0;
    }

    /** An endpoint the AWS tools' own variable names ({@code AWS_ENDPOINT_URL_EC2}), e.g. a local stub. */
    static Optional<URI> endpoint(CliContext context, String variable) {
        var value = context.env().get(variable);
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            return Optional.of(new URI(value.strip()));
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(variable + " is not a URL: " + value + "; unset it or give https://host:port");
        }
    }
}
