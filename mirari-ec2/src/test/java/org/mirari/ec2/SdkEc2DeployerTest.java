package org.mirari.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirari.testkit.AwsStub;
import org.mirari.tool.deploy.DiskBlocks;
import org.mirari.tool.deploy.Ec2Request;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The deploy flow against {@link AwsStub} on loopback (no AWS is reachable here): the order of the
 * requests and their parameters, the uploaded blocks' checksums, the clean-up after a failure at
 * each step, and the errors people meet first (no credentials, a missing permission, throttling).
 */
class SdkEc2DeployerTest {
    static final AwsCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
    static final String SNAP = "snap-0123456789abcdef0";
    static final String AMI = "ami-0123456789abcdef0";
    static final String INSTANCE = "i-0123456789abcdef0";

    @TempDir
    Path dir;

    AwsStub stub;
    DiskBlocks blocks;
    final List<Event> events = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        stub = new AwsStub();
        // A 64 MiB disk (a 1 GiB one reads slower; the upload is the same), sparse, with something in
        // blocks 0, 3 and 127 (the GPT's two ends and the ESP).
        Path disk = dir.resolve("mir-hello.disk.raw");
        try (var ch = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long block : new long[] {0, 3, 127}) {
                ch.write(
                        ByteBuffer.wrap(("block " + block).getBytes(StandardCharsets.US_ASCII)),
                        block * DiskBlocks.BLOCK_SIZE + 17);
            }
            ch.write(ByteBuffer.wrap(new byte[] {1}), (64L << 20) - 1);
        }
        blocks = DiskBlocks.scan(disk);
        stub.console.add("");
        stub.console.add("Booting...\nmirari-vm: init boot_ms=900\n");
        stub.console.add(
                "Booting...\nmirari-vm: init boot_ms=900\nmirari-ready: network address=172.31.0.5 netmask=255.255.240.0"
                        + " gateway=172.31.0.1 uptime_ms=10 boot_ms=2000\nmirari-ready: listening url=http://172.31.0.5:8080/"
                        + " uptime_ms=300 boot_ms=2300\n");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    Ec2Request request(boolean launch) {
        var boot = new LinkedHashMap<String, String>();
        boot.put("http-port", "8080");
        boot.put("ip-use-dhcp", "true");
        return new Ec2Request(
                "mirari-hello",
                Optional.of("eu-west-1"),
                "t3.micro",
                Optional.of("subnet-1"),
                Optional.of("sg-1"),
                Optional.empty(),
                launch,
                blocks.disk(),
                boot,
                8080,
                Optional.of(stub.endpoint()),
                Optional.of(stub.endpoint()));
    }

    SdkEc2Deployer deployer(AwsCredentialsProvider credentials) {
        return new SdkEc2Deployer(
                credentials, Duration.ofMillis(1), Duration.ofSeconds(30), Optional.of(Duration.ofMillis(5)));
    }

    @Test
    void uploadsRegistersStartsAndWaitsForTheAppInThatOrder() {
        var result = deployer(KEYS).deploy(request(true), blocks, events::add);

        assertThat(result.snapshotId()).isEqualTo(SNAP);
        assertThat(result.imageId()).isEqualTo(AMI);
        assertThat(result.instanceId()).contains(INSTANCE);
        assertThat(result.url()).contains("http://203.0.113.7:8080/");
        var actions = stub.actions();
        assertThat(actions.subList(0, 9))
                .containsExactly(
                        "ebs:StartSnapshot",
                        "ebs:PutSnapshotBlock",
                        "ebs:PutSnapshotBlock",
                        "ebs:PutSnapshotBlock",
                        "ebs:CompleteSnapshot",
                        "ec2:DescribeSnapshots",
                        "ec2:RegisterImage",
                        "ec2:RunInstances",
                        "ec2:GetConsoleOutput");
        assertThat(actions.subList(9, actions.size())).containsOnly("ec2:GetConsoleOutput", "ec2:DescribeInstances");
        assertThat(actions).doesNotContain("ec2:DeleteSnapshot");

        // Only the three blocks that hold anything, each with its SHA-256; the LINEAR aggregate matches.
        assertThat(stub.checksumErrors).isEmpty();
        assertThat(stub.calls("ebs:PutSnapshotBlock").stream()
                        .map(c -> c.params().get("BlockIndex")))
                .containsExactly("0", "3", "127");
        assertThat(stub.calls("ebs:PutSnapshotBlock")).allSatisfy(c -> assertThat(c.params())
                .containsEntry("DataLength", "524288")
                .containsEntry("Length", "524288")
                .containsEntry("ChecksumAlgorithm", "SHA256"));
        assertThat(stub.calls("ebs:StartSnapshot").getFirst().params().get("body"))
                .contains("\"VolumeSize\":1", "\"Timeout\":60", "\"Key\":\"Name\"", "\"Value\":\"mirari-hello\"");
        assertThat(stub.calls("ebs:CompleteSnapshot").getFirst().params())
                .containsEntry("ChangedBlocksCount", "3")
                .containsEntry("ChecksumAggregationMethod", "LINEAR")
                .containsEntry("Checksum", blocks.aggregateSha256());
        assertThat(stub.calls("ec2:RegisterImage").getFirst().params())
                .containsEntry("Name", "mirari-hello")
                .containsEntry("Architecture", "x86_64")
                .containsEntry("BootMode", "uefi")
                .containsEntry("EnaSupport", "true")
                .containsEntry("VirtualizationType", "hvm")
                .containsEntry("RootDeviceName", "/dev/xvda")
                .containsEntry("BlockDeviceMapping.1.DeviceName", "/dev/xvda")
                .containsEntry("BlockDeviceMapping.1.Ebs.SnapshotId", SNAP)
                .containsEntry("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "true");
        var run = stub.calls("ec2:RunInstances").getFirst().params();
        assertThat(run)
                .containsEntry("ImageId", AMI)
                .containsEntry("InstanceType", "t3.micro")
                .containsEntry("MinCount", "1")
                .containsEntry("MaxCount", "1")
                .containsEntry("SubnetId", "subnet-1")
                .containsEntry("SecurityGroupId.1", "sg-1")
                .containsEntry("TagSpecification.1.ResourceType", "instance")
                .containsEntry("TagSpecification.1.Tag.1.Key", "Name")
                .containsEntry("TagSpecification.1.Tag.1.Value", "mirari-hello");
        assertThat(new String(Base64.getDecoder().decode(run.get("UserData")), StandardCharsets.UTF_8))
                .isEqualTo("http-port=8080\n"); // not ip-*: the network comes first

        // Progress as events: bytes of the upload, and the app's readiness from its console.
        assertThat(events)
                .filteredOn(e -> e instanceof Event.Progress)
                .last()
                .isEqualTo(
                        new Event.Progress("upload", "bytes", 3L * DiskBlocks.BLOCK_SIZE, 3L * DiskBlocks.BLOCK_SIZE));
        // The rate and time left at the quarters and at the end.
        assertThat(events)
                .filteredOn(e -> e instanceof Event.Info i && i.message().contains("uploaded "))
                .hasSizeGreaterThan(1)
                .allSatisfy(e -> assertThat(((Event.Info) e).message())
                        .matches("(snapshot " + SNAP + " complete: )?uploaded [0-9.]+ of 1\\.5 MiB, [0-9.]+ MiB/s,"
                                + " \\d+ s left"))
                .last()
                .satisfies(e -> assertThat(((Event.Info) e).message())
                        .startsWith("snapshot " + SNAP + " complete: uploaded 1.5 of 1.5 MiB, ")
                        .endsWith(", 0 s left"));
        assertThat(events)
                .filteredOn(e -> e instanceof Event.Ready)
                .extracting(e -> ((Event.Ready) e).phase())
                .containsExactly("network", "listening");
    }

    @Test
    void withoutAnInstanceItStopsAtTheAmi() {
        var result = deployer(KEYS).deploy(request(false), blocks, events::add);
        assertThat(result.instanceId()).isEmpty();
        assertThat(stub.actions()).last().isEqualTo("ec2:RegisterImage");
    }

    /** A failure while uploading deletes the snapshot; nothing after it is asked for. */
    @ParameterizedTest
    @ValueSource(strings = {"ebs:PutSnapshotBlock", "ebs:CompleteSnapshot", "ec2:DescribeSnapshots"})
    void aFailedUploadDeletesItsSnapshot(String step) {
        stub.failAlways(step, 500, "InternalError", "injected");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .isInstanceOf(BackendException.class)
                .hasMessageStartingWith(step + " failed (InternalError: injected, HTTP 500)")
                .hasMessageEndingWith("; the partial snapshot " + SNAP + " was deleted; nothing remains");
        assertThat(stub.actions()).last().isEqualTo("ec2:DeleteSnapshot");
        assertThat(stub.calls("ec2:DeleteSnapshot").getFirst().params()).containsEntry("SnapshotId", SNAP);
        assertThat(stub.actions()).doesNotContain("ec2:RegisterImage");
        assertThat(stub.snapshots).isEmpty();
    }

    @Test
    void aSnapshotEbsCannotCompleteIsDeletedToo() {
        stub.completedState = "error";
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessage("EBS could not complete snapshot " + SNAP + ": stub; the partial snapshot " + SNAP
                        + " was deleted; nothing remains");
        assertThat(stub.snapshots).isEmpty();
    }

    @Test
    void aFailedStartLeavesNothingToCleanUp() {
        stub.failAlways("ebs:StartSnapshot", 500, "InternalServerException", "injected");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessage("ebs:StartSnapshot failed (InternalServerException: injected, HTTP 500)");
        assertThat(stub.actions()).containsOnly("ebs:StartSnapshot");
    }

    @Test
    void aFailedRegistrationSaysTheSnapshotRemainsAndHowToRemoveIt() {
        stub.failAlways("ec2:RegisterImage", 400, "InvalidParameterValue", "injected");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessage("ec2:RegisterImage failed (InvalidParameterValue: injected, HTTP 400); the snapshot " + SNAP
                        + " remains (complete): run mirari deploy ec2 again once fixed, or remove it with: aws ec2"
                        + " delete-snapshot --region eu-west-1 --snapshot-id " + SNAP);
        assertThat(stub.actions()).last().isEqualTo("ec2:RegisterImage");
        assertThat(stub.snapshots).containsKey(SNAP);
    }

    @Test
    void aFailedStartOfTheInstanceSaysTheAmiAndSnapshotRemain() {
        stub.failAlways(
                "ec2:RunInstances", 400, "InstanceLimitExceeded", "Your quota allows for 0 more running instance(s).");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessage(
                        "ec2:RunInstances hit an account quota in eu-west-1 (InstanceLimitExceeded: Your quota allows"
                                + " for 0 more running instance(s).); remove what is unused or ask for a higher quota in the"
                                + " Service Quotas console; the AMI " + AMI + " and its snapshot " + SNAP
                                + " remain: start it"
                                + " again with mirari deploy ec2, or remove them with: aws ec2 deregister-image --region"
                                + " eu-west-1 --image-id " + AMI
                                + " && aws ec2 delete-snapshot --region eu-west-1 --snapshot-id "
                                + SNAP);
        assertThat(stub.actions()).last().isEqualTo("ec2:RunInstances");
    }

    @Test
    void anAppThatEndsBeforeItListensIsReportedWithTheInstanceToRemove() {
        stub.console.clear();
        stub.console.add("mirari-vm: jvm boot_ms=3000\nError: Could not find or load main class Main\n"
                + "mirari-vm: exit code=1 boot_ms=3500\n");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessage("the app on " + INSTANCE + " ended before it listened: mirari-vm: exit code=1 boot_ms=3500;"
                        + " the instance " + INSTANCE + " remains: aws ec2 terminate-instances --region eu-west-1"
                        + " --instance-ids " + INSTANCE + " (the AMI " + AMI + " and snapshot " + SNAP + " too)");
    }

    /** What ends the wait for the app without a URL says what remains and how to remove it. */
    static final String REMAINS = "; the instance " + INSTANCE + " remains: aws ec2 terminate-instances --region"
            + " eu-west-1 --instance-ids " + INSTANCE + " (the AMI " + AMI + " and snapshot " + SNAP + " too)";

    @Test
    void aCallThatFailsWhileWaitingForTheAppSaysTheInstanceRemains() {
        stub.failAlways("ec2:GetConsoleOutput", 403, "UnauthorizedOperation", "You are not authorized.");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessageStartingWith("ec2:GetConsoleOutput was denied (UnauthorizedOperation: You are not"
                        + " authorized.); the credentials need the IAM permission ec2:GetConsoleOutput")
                .hasMessageEndingWith(REMAINS);
        assertThat(stub.actions()).last().isEqualTo("ec2:GetConsoleOutput");
    }

    @Test
    void anInstanceThatStopsBeforeTheAppListensIsReported() {
        stub.console.clear();
        stub.instanceState = "<code>80</code><name>stopped</name>";
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessage("instance " + INSTANCE + " is stopped and the app never said it listens; see its console:"
                        + " aws ec2 get-console-output --region eu-west-1 --instance-id " + INSTANCE + REMAINS);
    }

    @Test
    void anAppThatNeverSaysItListensIsGivenUpOnInTime() {
        stub.console.clear();
        var impatient =
                new SdkEc2Deployer(KEYS, Duration.ofMillis(1), Duration.ZERO, Optional.of(Duration.ofMillis(5)));
        assertThatThrownBy(() -> impatient.deploy(request(true), blocks, events::add))
                .hasMessage("the app on " + INSTANCE + " did not say it listens within 0 s; see its console:"
                        + " aws ec2 get-console-output --region eu-west-1 --instance-id " + INSTANCE + REMAINS);
    }

    @Test
    void noCredentialsSaysWhereTheyCanComeFrom() {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        };
        assertThatThrownBy(() -> deployer(none).deploy(request(true), blocks, events::add))
                .hasMessage("no AWS credentials for ebs:StartSnapshot: the SDK's default chain found none (environment,"
                        + " ~/.aws profiles, SSO); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a"
                        + " profile made by aws configure (aws sso login for SSO)");
        assertThat(stub.calls).isEmpty();
    }

    @Test
    void accessDeniedNamesTheIamAction() {
        stub.failAlways(
                "ec2:RegisterImage", 403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessageStartingWith("ec2:RegisterImage was denied (UnauthorizedOperation: You are not authorized to"
                        + " perform this operation.); the credentials need the IAM permission ec2:RegisterImage: add it to"
                        + " the user's or role's policy (an IAM policy statement with \"Action\": \"ec2:RegisterImage\"),"
                        + " then run again; the snapshot " + SNAP + " remains");

        stub.always.clear();
        stub.failAlways("ebs:StartSnapshot", 403, "AccessDeniedException", "User is not authorized");
        assertThatThrownBy(() -> deployer(KEYS).deploy(request(true), blocks, events::add))
                .hasMessageStartingWith("ebs:StartSnapshot was denied (AccessDeniedException: User is not authorized);"
                        + " the credentials need the IAM permission ebs:StartSnapshot");
    }

    @Test
    void throttlingIsRetried() {
        stub.failOnce("ec2:RegisterImage", 503, "RequestLimitExceeded", "Request limit exceeded.");
        stub.failOnce("ebs:PutSnapshotBlock", 400, "RequestThrottledException", "slow down");
        var result = deployer(KEYS).deploy(request(false), blocks, events::add);
        assertThat(result.imageId()).isEqualTo(AMI);
        assertThat(stub.calls("ec2:RegisterImage")).hasSize(2);
        assertThat(stub.calls("ebs:PutSnapshotBlock")).hasSize(4);
        assertThat(stub.checksumErrors).isEmpty();
        assertThat(stub.actions()).doesNotContain("ec2:DeleteSnapshot");
    }

    @Test
    void anUnknownRegionIsNamed() {
        var r = request(true);
        var unknown = new Ec2Request(
                r.name(),
                Optional.of("xx-nowhere-1"),
                r.instanceType(),
                r.subnet(),
                r.securityGroup(),
                r.keyName(),
                true,
                r.disk(),
                r.bootParameters(),
                8080,
                Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> deployer(KEYS).deploy(unknown, blocks, events::add))
                .hasMessageStartingWith("unknown AWS region xx-nowhere-1; use one of ")
                .hasMessageContaining("eu-west-1");
    }
}
