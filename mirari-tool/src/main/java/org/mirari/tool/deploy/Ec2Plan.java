package org.mirari.tool.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code mirari deploy ec2 --dry-run} prints: the requests in the order they are sent, with
 * their parameters and sizes, the boot-time parameters, and what a failure at each step leaves.
 * Computed from the request and the disk alone: nothing here touches the network.
 */
public final class Ec2Plan {
    /** Minutes EBS waits for the upload before it gives up on the snapshot (StartSnapshot's Timeout). */
    public static final int SNAPSHOT_TIMEOUT_MINUTES = 60;

    private Ec2Plan() {}

    /** The plan; {@code blocks} is empty when the disk is not built yet. */
    public static List<String> lines(Ec2Request r, Optional<DiskBlocks> blocks) {
        var lines = new ArrayList<String>();
        lines.add("deploy " + r.name() + " to EC2 in "
                + r.region().map(x -> "region " + x).orElse("the SDK's default region (AWS_REGION, the profile)")
                + " with the SDK's default credentials (environment, profiles, SSO)");
        if (blocks.isPresent()) {
            var b = blocks.get();
            lines.add(String.format(
                    Locale.ROOT,
                    "  read %s: %d GiB, %d blocks of 512 KiB to upload (%.1f MiB), %d all-zero blocks skipped",
                    r.disk().getFileName(),
                    b.volumeGib(),
                    b.blocks().size(),
                    b.uploadBytes() / 1048576.0,
                    b.zeroBlocks()));
        } else {
            lines.add("  read " + r.disk().getFileName() + " (not built yet: mirari build --ec2 makes it first)");
        }
        String n = blocks.map(b -> Integer.toString(b.blocks().size())).orElse("N");
        lines.add("  ebs:StartSnapshot VolumeSize="
                + blocks.map(DiskBlocks::volumeGib).orElse(1) + " Timeout=" + SNAPSHOT_TIMEOUT_MINUTES
                + " Description=\"" + description(r) + "\" " + tags(r));
        lines.add("  ebs:PutSnapshotBlock x" + n
                + " (DataLength=524288, ChecksumAlgorithm=SHA256, the block's SHA-256; progress shown)");
        lines.add("  ebs:CompleteSnapshot ChangedBlocksCount=" + n
                + " ChecksumAlgorithm=SHA256 ChecksumAggregationMethod=LINEAR Checksum="
                + blocks.map(DiskBlocks::aggregateSha256).orElse("(of the blocks)"));
        lines.add("  ec2:DescribeSnapshots until the snapshot is completed");
        lines.add("  ec2:RegisterImage Name=" + r.name()
                + " Architecture=x86_64 BootMode=uefi EnaSupport=true VirtualizationType=hvm ImdsSupport=v2.0"
                + " RootDeviceName=" + Ec2Request.ROOT_DEVICE + " BlockDeviceMapping=" + Ec2Request.ROOT_DEVICE
                + ":(the snapshot),gp3,DeleteOnTermination=true");
        if (r.launch()) {
            var run = new StringBuilder("  ec2:RunInstances ImageId=(the AMI) InstanceType=")
                    .append(r.instanceType())
                    .append(" MinCount=1 MaxCount=1");
            r.subnet().ifPresent(s -> run.append(" SubnetId=").append(s));
            r.securityGroup().ifPresent(g -> run.append(" SecurityGroupId=").append(g));
            r.keyName().ifPresent(k -> run.append(" KeyName=").append(k));
            run.append(" UserData=(base64 of the boot-time parameters) TagSpecification=instance:")
                    .append(tags(r));
            lines.add(run.toString());
            lines.add("  user data, the boot-time parameters the guest reads at boot over the disk's: "
                    + String.join(" ", r.userData().strip().lines().toList()));
            lines.add("  ec2:DescribeInstances, ec2:GetConsoleOutput until the console says the app listens (or"
                    + " failed), then print http://(public address):" + r.httpPort() + "/");
        }
        lines.add("  on failure: a failed upload deletes its snapshot (ec2:DeleteSnapshot); a failed registration"
                + " or start says what remains and how to remove it");
        return lines;
    }

    /** The snapshot's description. */
    public static String description(Ec2Request r) {
        return "Mirari disk of " + r.name() + " (" + r.disk().getFileName() + ")";
    }

    private static String tags(Ec2Request r) {
        var t = new ArrayList<String>();
        for (var e : r.tags()) t.add(e.getKey() + "=" + e.getValue());
        return "Tags=" + String.join(",", t);
    }
}
