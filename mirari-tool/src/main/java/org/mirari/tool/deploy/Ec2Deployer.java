package org.mirari.tool.deploy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.EventSink;

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
        var target = home.resolve("mirari-ec2").resolve("target");
        var jar = target.resolve("mirari-ec2.jar");
        var lib = target.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new BuildException(jar + " (or its lib/) is missing; build Mirari first: ./mvnw install"
                    + " -DskipTests (bin/mirari does it by itself)");
        }
        var urls = new ArrayList<URL>();
        try (Stream<Path> jars = Files.list(lib)) {
            urls.add(jar.toUri().toURL());
            for (var j :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList())
                urls.add(j.toUri().toURL());
        } catch (IOException e) {
            throw new BuildException("cannot list " + lib + ": " + e.getMessage(), e);
        }
        var loader = new URLClassLoader("mirari-ec2", urls.toArray(URL[]::new), Ec2Deployer.class.getClassLoader());
        return ServiceLoader.load(Ec2Deployer.class, loader)
                .findFirst()
                .orElseThrow(() -> new BuildException(
                        "no EC2 deployer in " + jar + "; build Mirari first: ./mvnw install -DskipTests"));
    }
}
