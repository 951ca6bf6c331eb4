package org.mirari.ec2.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.testkit.AwsStub;
import org.mirari.testkit.Examples;
import org.mirari.tool.deploy.DiskBlocks;

/**
 * {@code mirari deploy ec2} through the real {@code bin/mirari} against {@link AwsStub} on loopback
 * (no AWS is reachable here): the launcher loads this module's jar and the SDK in a class loader of
 * their own, takes the credentials from the environment and the endpoints from the AWS tools'
 * variables, builds examples/hello's {@code --ec2} disk, uploads its non-zero blocks with their
 * SHA-256s, registers the AMI, starts the instance with the boot-time parameters as user data, and
 * waits for the app in the console that the stub serves. It lives here, not in mirari-tool, because
 * the reactor makes this module's jar only after mirari-tool's integration tests have run.
 */
class DeployEc2IT {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();
    static final long MINUTES = 5;

    @TempDir
    Path dir;

    @Test
    void deployEc2ThroughTheLauncherUploadsTheBuiltDiskAndStartsTheApp() throws Exception {
        Assumptions.assumeTrue(
                Files.isRegularFile(Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub")),
                "systemd-boot-efi is not installed (the --ec2 disk's unified kernel image needs its stub)");
        Path app = Examples.copy(HOME.resolve("examples/hello"), dir.resolve("hello"));
        try (var aws = new AwsStub()) {
            // The console of an instance whose app listens on the port the user data gives it, as
            // the guest's runtime prints it (Ec2IT boots the same disk under OVMF and reads it so).
            aws.console.add("mirari-vm: init boot_ms=900\n"
                    + "mirari-ready: network address=172.31.0.5 netmask=255.255.240.0 gateway=172.31.0.1"
                    + " uptime_ms=10 boot_ms=2000\n"
                    + "mirari-ready: listening url=http://172.31.0.5:9090/ uptime_ms=300 boot_ms=2300\n");
            var env = new HashMap<String, String>();
            env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
            env.put("AWS_SECRET_ACCESS_KEY", "secret");
            env.put("AWS_ENDPOINT_URL_EC2", aws.endpoint().toString());
            env.put("AWS_ENDPOINT_URL_EBS", aws.endpoint().toString());
            // Nothing but the stub: no instance metadata, no profiles of this machine.
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
            env.put(
                    "AWS_SHARED_CREDENTIALS_FILE",
                    dir.resolve("no-aws-credentials").toString());
            Path log = dir.resolve("deploy.log");
            long t0 = System.nanoTime();
            var deploy = new ProcessBuilder(List.of(
                            HOME.resolve("bin/mirari").toString(),
                            "deploy",
                            "ec2",
                            "--region",
                            "eu-west-1",
                            "--set",
                            "http-port=9090",
                            app.toString()))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            deploy.environment().putAll(env);
            var p = deploy.start();
            try {
                assertThat(p.waitFor(MINUTES, TimeUnit.MINUTES))
                        .as("deploy ended in %d minutes: %s", MINUTES, Files.readString(log))
                        .isTrue();
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            long t1 = System.nanoTime();
            String output = Files.readString(log);
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output)
                    .as("the launcher's output")
                    .contains("mirari: build: hello for --ec2")
                    .contains("ami-0123456789abcdef0", "i-0123456789abcdef0", "http://203.0.113.7:9090/");

            // What reached the stub is the disk the launcher built, block for block.
            var blocks = DiskBlocks.scan(app.resolve("mir-hello.disk.raw"));
            assertThat(aws.checksumErrors).isEmpty();
            assertThat(aws.calls("ebs:PutSnapshotBlock"))
                    .hasSize(blocks.blocks().size());
            assertThat(aws.calls("ebs:CompleteSnapshot").getFirst().params())
                    .containsEntry("Checksum", blocks.aggregateSha256());
            var userData = aws.calls("ec2:RunInstances").getFirst().params().get("UserData");
            assertThat(new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8))
                    .isEqualTo("http-address=*\nhttp-port=9090\n");
            System.out.printf(
                    "DeployEc2IT: build and deploy ec2 against the stub %.1f s (%d blocks of %d; load %s)%n",
                    (t1 - t0) / 1e9,
                    blocks.blocks().size(),
                    blocks.blocks().size() + blocks.zeroBlocks(),
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }
}
