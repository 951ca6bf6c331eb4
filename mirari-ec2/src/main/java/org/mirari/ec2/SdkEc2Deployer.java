package org.mirari.ec2;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.mirari.runtime.console.ReadyLine;
import org.mirari.tool.deploy.DiskBlocks;
import org.mirari.tool.deploy.Ec2Deployer;
import org.mirari.tool.deploy.Ec2Plan;
import org.mirari.tool.deploy.Ec2Request;
import org.mirari.tool.deploy.Ec2Result;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.ChecksumAggregationMethod;
import software.amazon.awssdk.services.ebs.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.BootModeValues;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.ImdsSupportValues;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * {@link Ec2Deployer} on the AWS SDK for Java v2. The steps, each named by the IAM action it needs
 * (what an error message names):
 *
 * <ol>
 *   <li>upload: {@code ebs:StartSnapshot}, {@code ebs:PutSnapshotBlock} for every block that is not
 *       all zeros (with its SHA-256), {@code ebs:CompleteSnapshot} (with the LINEAR aggregate), then
 *       {@code ec2:DescribeSnapshots} until the snapshot is completed; a failure here deletes the
 *       snapshot ({@code ec2:DeleteSnapshot});
 *   <li>{@code ec2:RegisterImage} (UEFI, ENA, x86_64, the snapshot as the root volume); a failure
 *       says the snapshot remains and how to remove it;
 *   <li>{@code ec2:RunInstances} with the boot-time parameters as user data; a failure says the AMI
 *       and snapshot remain and how to remove them;
 *   <li>readiness: {@code ec2:DescribeInstances} and {@code ec2:GetConsoleOutput} until the console
 *       shows the runtime's {@code mirari-ready: listening} line, or the app's exit, or the instance
 *       stopping.
 * </ol>
 */
public final class SdkEc2Deployer implements Ec2Deployer {
    private final AwsCredentialsProvider credentials;
    private final Duration poll;
    private final Duration readyTimeout;
    private final Optional<Duration> retryDelay;

    /** What the tool's ServiceLoader makes: the SDK's default credential chain and retries. */
    public SdkEc2Deployer() {
        this(null, Duration.ofSeconds(5), Duration.ofMinutes(10), Optional.empty());
    }

    /**
     * @param credentials  the credentials ({@code null}: the SDK's default chain)
     * @param poll         how often the snapshot's state and the console are asked for
     * @param readyTimeout how long the app has to say it listens
     * @param retryDelay   the retries' backoff (empty: the SDK's standard one)
     */
    public SdkEc2Deployer(
            AwsCredentialsProvider credentials, Duration poll, Duration readyTimeout, Optional<Duration> retryDelay) {
        this.credentials = credentials;
        this.poll = poll;
        this.readyTimeout = readyTimeout;
        this.retryDelay = retryDelay;
    }

    @Override
    public Ec2Result deploy(Ec2Request r, DiskBlocks blocks, EventSink events) {
        Region region = region(r);
        try (var ebs = configure(EbsClient.builder(), region, r.ebsEndpoint()).build();
                var ec2 =
                        configure(Ec2Client.builder(), region, r.ec2Endpoint()).build()) {
            return new Run(r, blocks, events, region.id(), ebs, ec2).deploy();
        }
    }

    private Region region(Ec2Request r) {
        String id = r.region().orElse(null);
        if (id == null) {
            try {
                id = new DefaultAwsRegionProviderChain().getRegion().id();
            } catch (SdkException e) {
                throw new BackendException("no AWS region: give --region (e.g. --region eu-west-1), or set AWS_REGION"
                        + " or the profile's region (aws configure)");
            }
        }
        Region region = Region.of(id);
        if (r.ec2Endpoint().isEmpty() && !Region.regions().contains(region)) {
            throw new BackendException("unknown AWS region " + id + "; use one of "
                    + String.join(
                            ", ",
                            Region.regions().stream().map(Region::id).sorted().toList()));
        }
        return region;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Region region, Optional<URI> endpoint) {
        builder.region(region);
        if (credentials != null) builder.credentialsProvider(credentials);
        else builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        endpoint.ifPresent(builder::endpointOverride);
        retryDelay.ifPresent(d ->
                builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(BackoffStrategy.fixedDelay(d))
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(d))
                        .build())));
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync)
            sync.httpClient(UrlConnectionHttpClient.create());
        return builder;
    }

    /** One deploy: the clients and what has been made so far. */
    private final class Run {
        final Ec2Request r;
        final DiskBlocks blocks;
        final EventSink events;
        final String region;
        final EbsClient ebs;
        final Ec2Client ec2;

        Run(Ec2Request r, DiskBlocks blocks, EventSink events, String region, EbsClient ebs, Ec2Client ec2) {
            this.r = r;
            this.blocks = blocks;
            this.events = events;
            this.region = region;
            this.ebs = ebs;
            this.ec2 = ec2;
        }

        <T> T call(String action, Supplier<T> request) {
            try {
                return request.get();
            } catch (RuntimeException e) {
                if (e instanceof BackendException b) throw b;
                throw AwsErrors.explain(action, e, region);
            }
        }

        Ec2Result deploy() {
            String snapshot = upload();
            String image = register(snapshot);
            if (!r.launch()) {
                events.emit(new Event.Info("AMI " + image + " registered on snapshot " + snapshot
                        + " (no instance started: --no-instance)"));
                return new Ec2Result(snapshot, image, Optional.empty(), Optional.empty());
            }
            String instance = launch(image, snapshot);
            var url = awaitReady(instance, image, snapshot);
            return new Ec2Result(snapshot, image, Optional.of(instance), Optional.of(url));
        }

        String upload() {
            events.emit(new Event.StepStarted(
                    "upload",
                    String.format(
                            Locale.ROOT,
                            "%s as an EBS snapshot: %d blocks of 512 KiB (%.1f MiB), %d all-zero blocks skipped",
                            r.disk().getFileName(),
                            blocks.blocks().size(),
                            blocks.uploadBytes() / 1048576.0,
                            blocks.zeroBlocks())));
            long t0 = System.nanoTime();
            var started = call(
                    "ebs:StartSnapshot",
                    () -> ebs.startSnapshot(b -> b.volumeSize((long) blocks.volumeGib())
                            .timeout(Ec2Plan.SNAPSHOT_TIMEOUT_MINUTES)
                            .description(Ec2Plan.description(r))
                            .clientToken(UUID.randomUUID().toString())
                            .tags(r.tags().stream()
                                    .map(t -> software.amazon.awssdk.services.ebs.model.Tag.builder()
                                            .key(t.getKey())
                                            .value(t.getValue())
                                            .build())
                                    .toList())));
            String snapshot = started.snapshotId();
            try {
                long done = 0;
                int reported = 0;
                for (var block : blocks.blocks()) {
                    byte[] data = blocks.read(block.index());
                    call(
                            "ebs:PutSnapshotBlock",
                            () -> ebs.putSnapshotBlock(
                                    b -> b.snapshotId(snapshot)
                                            .blockIndex((int) block.index())
                                            .dataLength(DiskBlocks.BLOCK_SIZE)
                                            .checksum(block.sha256())
                                            .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                                    RequestBody.fromBytes(data)));
                    done += data.length;
                    events.emit(new Event.Progress("upload", "bytes", done, blocks.uploadBytes()));
                    int quarter = (int) (4 * done / Math.max(1, blocks.uploadBytes()));
                    if (quarter > reported && quarter < 4) {
                        reported = quarter;
                        events.emit(new Event.Info(rate(done, blocks.uploadBytes(), System.nanoTime() - t0)));
                    }
                }
                call(
                        "ebs:CompleteSnapshot",
                        () -> ebs.completeSnapshot(b -> b.snapshotId(snapshot)
                                .changedBlocksCount(blocks.blocks().size())
                                .checksum(blocks.aggregateSha256())
                                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                                .checksumAggregationMethod(ChecksumAggregationMethod.LINEAR)));
                awaitSnapshot(snapshot);
            } catch (RuntimeException | IOException e) {
                var cause = e instanceof BackendException b
                        ? b
                        : new BackendException("reading " + r.disk() + " failed: " + e.getMessage(), e);
                throw new BackendException(cause.getMessage() + "; " + deleteSnapshot(snapshot), cause);
            }
            events.emit(new Event.Info("snapshot " + snapshot + " complete: "
                    + rate(blocks.uploadBytes(), blocks.uploadBytes(), System.nanoTime() - t0)));
            events.emit(new Event.StepFinished("upload", Duration.ofNanos(System.nanoTime() - t0), false));
            return snapshot;
        }

        /** {@code 12.5 of 31.0 MiB, 4.1 MiB/s, 5 s left}. */
        static String rate(long done, long total, long nanos) {
            double s = Math.max(nanos / 1e9, 1e-3);
            double perS = done / s;
            long left = perS > 0 ? Math.round((total - done) / perS) : 0;
            return String.format(
                    Locale.ROOT,
                    "uploaded %.1f of %.1f MiB, %.1f MiB/s, %d s left",
                    done / 1048576.0,
                    total / 1048576.0,
                    perS / 1048576.0,
                    left);
        }

        void awaitSnapshot(String snapshot) {
            long deadline = System.nanoTime()
                    + Duration.ofMinutes(Ec2Plan.SNAPSHOT_TIMEOUT_MINUTES).toNanos();
            while (true) {
                var s = call("ec2:DescribeSnapshots", () -> ec2.describeSnapshots(b -> b.snapshotIds(snapshot)))
                        .snapshots();
                var state = s.isEmpty() ? null : s.getFirst().state();
                if (state == SnapshotState.COMPLETED) return;
                if (state == SnapshotState.ERROR) {
                    throw new BackendException("EBS could not complete snapshot " + snapshot + ": "
                            + s.getFirst().stateMessage());
                }
                if (System.nanoTime() > deadline)
                    throw new BackendException("snapshot " + snapshot + " is still " + state + " after "
                            + Ec2Plan.SNAPSHOT_TIMEOUT_MINUTES + " minutes");
                sleep();
            }
        }

        /** Deletes a failed upload's snapshot; says whether that worked. */
        String deleteSnapshot(String snapshot) {
            try {
                ec2.deleteSnapshot(b -> b.snapshotId(snapshot));
                return "the partial snapshot " + snapshot + " was deleted; nothing remains";
            } catch (RuntimeException e) {
                return "deleting the partial snapshot failed too ("
                        + AwsErrors.explain("ec2:DeleteSnapshot", e, region).getMessage()
                        + "); remove it with: aws ec2 delete-snapshot --region " + region
                        + " --snapshot-id " + snapshot;
            }
        }

        String register(String snapshot) {
            try {
                String image = call(
                                "ec2:RegisterImage",
                                () -> ec2.registerImage(b -> b.name(r.name())
                                        .description(Ec2Plan.description(r))
                                        .architecture(ArchitectureValues.X86_64)
                                        .bootMode(BootModeValues.UEFI)
                                        .enaSupport(true)
                                        .virtualizationType("hvm")
                                        .imdsSupport(ImdsSupportValues.V2_0)
                                        .rootDeviceName(Ec2Request.ROOT_DEVICE)
                                        .blockDeviceMappings(BlockDeviceMapping.builder()
                                                .deviceName(Ec2Request.ROOT_DEVICE)
                                                .ebs(EbsBlockDevice.builder()
                                                        .snapshotId(snapshot)
                                                        .volumeType(VolumeType.GP3)
                                                        .deleteOnTermination(true)
                                                        .build())
                                                .build())))
                        .imageId();
                events.emit(new Event.Info("AMI " + image + " registered (UEFI, ENA, x86_64)"));
                return image;
            } catch (BackendException e) {
                throw new BackendException(
                        e.getMessage() + "; the snapshot " + snapshot + " remains (complete):"
                                + " run mirari deploy ec2 again once fixed, or remove it with: aws ec2 delete-snapshot --region "
                                + region + " --snapshot-id " + snapshot,
                        e);
            }
        }

        String launch(String image, String snapshot) {
            try {
                var tags = r.tags().stream()
                        .map(t -> software.amazon.awssdk.services.ec2.model.Tag.builder()
                                .key(t.getKey())
                                .value(t.getValue())
                                .build())
                        .toList();
                var reply = call(
                        "ec2:RunInstances",
                        () -> ec2.runInstances(b -> {
                            b.imageId(image)
                                    .instanceType(r.instanceType())
                                    .minCount(1)
                                    .maxCount(1)
                                    .userData(Base64.getEncoder()
                                            .encodeToString(r.userData().getBytes(StandardCharsets.UTF_8)))
                                    .tagSpecifications(TagSpecification.builder()
                                            .resourceType(ResourceType.INSTANCE)
                                            .tags(tags)
                                            .build());
                            r.subnet().ifPresent(b::subnetId);
                            r.securityGroup().ifPresent(g -> b.securityGroupIds(g));
                            r.keyName().ifPresent(b::keyName);
                        }));
                String instance = reply.instances().getFirst().instanceId();
                events.emit(
                        new Event.Info("instance " + instance + " (" + r.instanceType() + ") starting from " + image));
                return instance;
            } catch (BackendException e) {
                throw new BackendException(
                        e.getMessage() + "; the AMI " + image + " and its snapshot " + snapshot
                                + " remain: start it again with mirari deploy ec2, or remove them with: aws ec2 deregister-image"
                                + " --region " + region + " --image-id " + image
                                + " && aws ec2 delete-snapshot --region "
                                + region + " --snapshot-id " + snapshot,
                        e);
            }
        }

        /**
         * Polls the console until the app listens (its URL), exits, or the instance stops. Whatever
         * ends the wait without a URL (an AWS call that fails too) says that the instance remains
         * and how to remove it with the AMI and snapshot.
         */
        String awaitReady(String instance, String image, String snapshot) {
            try {
                return pollConsole(instance);
            } catch (BackendException e) {
                throw new BackendException(
                        e.getMessage() + "; the instance " + instance + " remains: aws ec2 terminate-instances"
                                + " --region " + region + " --instance-ids " + instance + " (the AMI " + image
                                + " and snapshot " + snapshot + " too)",
                        e);
            }
        }

        private String pollConsole(String instance) {
            long t0 = System.nanoTime();
            long deadline = t0 + readyTimeout.toNanos();
            String seen = "";
            while (true) {
                var out = call(
                                "ec2:GetConsoleOutput",
                                () -> ec2.getConsoleOutput(
                                        b -> b.instanceId(instance).latest(true)))
                        .output();
                String console =
                        out == null ? "" : new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8);
                var lines = new ArrayList<>(console.lines().toList());
                // Only what is new since the last poll (the output is the console's whole tail).
                if (!seen.isEmpty() && console.contains(seen)) {
                    lines = new ArrayList<>(console.substring(console.indexOf(seen) + seen.length())
                            .lines()
                            .toList());
                }
                if (!console.isEmpty()) seen = console.substring(Math.max(0, console.length() - 256));
                for (String line : lines) {
                    var ready = ReadyLine.parse(line.strip());
                    if (ready.isPresent()) {
                        var rl = ready.get();
                        events.emit(new Event.Ready(rl.phase(), rl.detail(), Duration.ofNanos(System.nanoTime() - t0)));
                        if (rl.phase().equals("listening")) {
                            String url = "http://" + address(instance) + ":" + r.httpPort() + "/";
                            events.emit(new Event.Info("the app listens at " + url));
                            return url;
                        }
                    } else if (line.contains("mirari-vm: exit code=") || line.contains("Kernel panic")) {
                        throw new BackendException(
                                "the app on " + instance + " ended before it listened: " + line.strip());
                    }
                }
                var state = instance(instance).state().name();
                if (state == InstanceStateName.STOPPED
                        || state == InstanceStateName.TERMINATED
                        || state == InstanceStateName.STOPPING
                        || state == InstanceStateName.SHUTTING_DOWN) {
                    throw new BackendException("instance " + instance + " is " + state + " and the app never said it"
                            + " listens; see its console: aws ec2 get-console-output --region " + region
                            + " --instance-id " + instance);
                }
                if (System.nanoTime() > deadline) {
                    throw new BackendException("the app on " + instance + " did not say it listens within "
                            + readyTimeout.toSeconds()
                            + " s; see its console: aws ec2 get-console-output --region "
                            + region + " --instance-id " + instance);
                }
                sleep();
            }
        }

        Instance instance(String id) {
            var reservations = call("ec2:DescribeInstances", () -> ec2.describeInstances(b -> b.instanceIds(id)))
                    .reservations();
            if (reservations.isEmpty() || reservations.getFirst().instances().isEmpty())
                throw new BackendException("ec2:DescribeInstances does not know instance " + id);
            return reservations.getFirst().instances().getFirst();
        }

        String address(String id) {
            var i = instance(id);
            return i.publicIpAddress() != null ? i.publicIpAddress() : i.privateIpAddress();
        }

        void sleep() {
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while waiting for EC2");
            }
        }
    }

    /** The block count a disk of {@code bytes} has (for messages). */
    static long blockCount(long bytes) {
        return (bytes + DiskBlocks.BLOCK_SIZE - 1) / DiskBlocks.BLOCK_SIZE;
    }

    static List<String> none() {
        return List.of();
    }
}
