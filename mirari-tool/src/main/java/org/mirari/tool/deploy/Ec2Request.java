package org.mirari.tool.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code mirari deploy ec2} is asked to do.
 *
 * @param name           the name of the snapshot, the AMI and the instance ({@code mirari-hello})
 * @param region         {@code --region}; empty: the SDK's region chain ({@code AWS_REGION}, the profile)
 * @param instanceType   {@code --instance-type}
 * @param subnet         {@code --subnet}
 * @param securityGroup  {@code --security-group}
 * @param keyName        {@code --key-name}
 * @param launch         whether to start an instance of the AMI (false: {@code --no-instance})
 * @param disk           the {@code --ec2} build's disk
 * @param bootParameters the boot-time parameters, as the instance's user data carries them
 * @param httpPort       where the app listens, for the URL printed when it is ready
 * @param ec2Endpoint    another EC2 endpoint ({@code AWS_ENDPOINT_URL_EC2}), e.g. a local stub
 * @param ebsEndpoint    another EBS endpoint ({@code AWS_ENDPOINT_URL_EBS})
 */
public record Ec2Request(
        String name,
        Optional<String> region,
        String instanceType,
        Optional<String> subnet,
        Optional<String> securityGroup,
        Optional<String> keyName,
        boolean launch,
        Path disk,
        Map<String, String> bootParameters,
        int httpPort,
        Optional<URI> ec2Endpoint,
        Optional<URI> ebsEndpoint) {
    public Ec2Request {
        bootParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bootParameters));
    }

    /** The device the AMI's root volume is attached as (what EC2 names it on Nitro's NVMe too). */
    public static final String ROOT_DEVICE = "/dev/xvda";

    /**
     * The instance's user data: the boot-time parameters, one {@code key=value} a line, which the
     * guest's init reads from the instance metadata service at boot and lets win over the disk's
     * built-in ones. Not the {@code ip-*} keys: the network is up (by the disk's DHCP) before the
     * user data can be read, so the init would only ignore them.
     */
    public String userData() {
        return bootParameters.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("ip-"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** The tags every resource made gets: its name, and that Mirari made it. */
    public List<Map.Entry<String, String>> tags() {
        return List.of(Map.entry("Name", name), Map.entry("made-by", "mirari"));
    }
}
