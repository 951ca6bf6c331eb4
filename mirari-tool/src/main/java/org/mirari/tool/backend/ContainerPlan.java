package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The host side of an OCI run, as a value: a network namespace of the container's own, joined to
 * the host by a veth pair (the host's end gets the app's gateway, the container's {@code eth0}
 * its address), the image unpacked into a read-only root file system, runc's config, and the TCP
 * forwards from host ports into the namespace (a forwarder in the run, so nothing is left in the
 * host's firewall).
 *
 * @param id          runc's container id and the namespace's name ({@code mirari-hello-8080})
 * @param layout      the OCI image layout to run
 * @param rootfs      where its layers are unpacked (shared by the runs of one image: read-only)
 * @param bundle      runc's bundle directory (holds {@code config.json})
 * @param configJson  runc's config (OCI runtime spec 1.0)
 * @param hostVeth    the host's end of the veth pair
 * @param hostAddress the host's end's IPv4 address (the app's gateway)
 * @param containerAddress the container's IPv4 address (the app's address)
 * @param prefix      the subnet's prefix length
 */
public record ContainerPlan(
        String id,
        Path layout,
        Path rootfs,
        Path bundle,
        String configJson,
        String hostVeth,
        String hostAddress,
        String containerAddress,
        int prefix,
        List<Forward> forwards) {
    /** The container's end of the veth pair, inside its namespace. */
    public static final String CONTAINER_VETH = "eth0";

    public ContainerPlan {
        Objects.requireNonNull(id, "id");
        forwards = List.copyOf(forwards);
    }

    /** A TCP forward from {@code hostAddress:hostPort} on the host to the container's {@code containerPort}. */
    public record Forward(String hostAddress, int hostPort, int containerPort) {
        /** The URL a person opens. */
        public String url() {
            return "http://" + (hostAddress.equals("0.0.0.0") ? "127.0.0.1" : hostAddress) + ":" + hostPort + "/";
        }
    }

    /** The namespace's file, which runc's config names. */
    public Path netnsPath() {
        return Path.of("/run/netns").resolve(id);
    }

    /** The {@code ip} commands that make the namespace and the link, in order. */
    public List<List<String>> createCommands() {
        String host = hostAddress + "/" + prefix;
        String inside = containerAddress + "/" + prefix;
        return List.of(
                List.of("ip", "netns", "add", id),
                List.of("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", CONTAINER_VETH, "netns", id),
                List.of("ip", "addr", "add", host, "dev", hostVeth),
                List.of("ip", "link", "set", hostVeth, "up"),
                List.of("ip", "-n", id, "link", "set", "lo", "up"),
                List.of("ip", "-n", id, "addr", "add", inside, "dev", CONTAINER_VETH),
                List.of("ip", "-n", id, "link", "set", CONTAINER_VETH, "up"),
                List.of("ip", "-n", id, "route", "add", "default", "via", hostAddress));
    }

    /**
     * What undoes the run, in order, each harmless when there is nothing to undo: the container
     * (killed if it still runs), the namespace (which takes the container's end of the veth pair,
     * and with it the host's end).
     */
    public List<List<String>> removeCommands(String runc) {
        return List.of(
                List.of(runc, "delete", "--force", id),
                List.of("ip", "netns", "delete", id),
                List.of("ip", "link", "delete", hostVeth));
    }
}
