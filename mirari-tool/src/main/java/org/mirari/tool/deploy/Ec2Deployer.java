package org.mirari.tool.deploy;

import java.nio.file.Path;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.loader.ModuleLoader;

/**
 * Deploys a built {@code --ec2} disk (the {@code mirari-ec2} module implements it on the AWS SDK
 * for Java v2): upload it as an EBS snapshot with the EBS direct APIs, register an AMI, start an
 * instance, wait for the app. Reports progress as events. Failures are
 * {@link BackendException}s (exit 5) that say what to do, and what remains when something was made.
 */
public interface Ec2Deployer {

    Ec2Result deploy(Ec2Request request, DiskBlocks blocks, EventSink events);

    /**
     * The deployer in {@code <home>/mirari-ec2/target/}: {@code mirari-ec2.jar} and its {@code lib/},
     * as {@code bin/mirari} builds them, in a class loader of its own.
     */
    static Ec2Deployer load(Path home) {
        return ModuleLoader.load(home, "mirari-ec2", "mirari-ec2.jar", Ec2Deployer.class, "EC2 deployer");
    }
}
