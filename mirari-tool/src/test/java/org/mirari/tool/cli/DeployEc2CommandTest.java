package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirari deploy ec2 --dry-run}: the exact plan, computed without the network or the SDK. */
class DeployEc2CommandTest {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        var context = new CliContext(
                tmp,
                Map.of("PATH", tmp.resolve("no-bin").toString()),
                HOME,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return MirariCli.run(args, context);
    }

    Path hello() throws IOException {
        var app = Files.createDirectories(tmp.resolve("hello"));
        for (var f : new String[] {"hello.conf", "Hello.java"})
            Files.copy(HOME.resolve("examples/hello").resolve(f), app.resolve(f));
        return app;
    }

    @Test
    void theDryRunPrintsEveryRequestAndTheBootParametersAndWritesNothing() throws IOException {
        var app = hello();
        int code = run(
                "deploy",
                "ec2",
                "--dry-run",
                "--region",
                "eu-west-1",
                "--subnet",
                "subnet-1",
                "--key-name",
                "ops",
                "--set",
                "http-port=9090",
                app.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                deploy mirari-hello to EC2 in region eu-west-1 with the SDK's default credentials (environment, profiles, SSO)
                  read mir-hello.disk.raw (not built yet: mirari build --ec2 makes it first)
                  ebs:StartSnapshot VolumeSize=1 Timeout=60 Description="Mirari disk of mirari-hello (mir-hello.disk.raw)" Tags=Name=mirari-hello,made-by=mirari
                  ebs:PutSnapshotBlock xN (DataLength=524288, ChecksumAlgorithm=SHA256, the block's SHA-256; progress shown)
                  ebs:CompleteSnapshot ChangedBlocksCount=N ChecksumAlgorithm=SHA256 ChecksumAggregationMethod=LINEAR Checksum=(of the blocks)
                  ec2:DescribeSnapshots until the snapshot is completed
                  ec2:RegisterImage Name=mirari-hello Architecture=x86_64 BootMode=uefi EnaSupport=true VirtualizationType=hvm ImdsSupport=v2.0 RootDeviceName=/dev/xvda BlockDeviceMapping=/dev/xvda:(the snapshot),gp3,DeleteOnTermination=true
                  ec2:RunInstances ImageId=(the AMI) InstanceType=t3.micro MinCount=1 MaxCount=1 SubnetId=subnet-1 KeyName=ops UserData=(base64 of the boot-time parameters) TagSpecification=instance:Tags=Name=mirari-hello,made-by=mirari
                  user data, the boot-time parameters the guest reads at boot over the disk's: http-address=* http-port=9090
                  ec2:DescribeInstances, ec2:GetConsoleOutput until the console says the app listens (or failed), then print http://(public address):9090/
                  on failure: a failed upload deletes its snapshot (ec2:DeleteSnapshot); a failed registration or start says what remains and how to remove it
                """);
        try (Stream<Path> files = Files.list(app)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("hello.conf", "Hello.java");
        }
    }

    @Test
    void aBuiltDiskIsReadForItsBlocks() throws IOException {
        var app = hello();
        // A stand-in disk: 1 GiB, two blocks with data.
        try (var ch = java.nio.channels.FileChannel.open(
                app.resolve("mir-hello.disk.raw"),
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), (1L << 30) - 1);
        }
        assertThat(run("deploy", "ec2", "--dry-run", "--no-instance", "--region", "eu-west-1", app.toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "  read mir-hello.disk.raw: 1 GiB, 2 blocks of 512 KiB to upload (1.0 MiB), 2046 all-zero blocks skipped\n",
                        "  ebs:PutSnapshotBlock x2 ",
                        "ChangedBlocksCount=2 ")
                .doesNotContain("RunInstances");
    }
}
