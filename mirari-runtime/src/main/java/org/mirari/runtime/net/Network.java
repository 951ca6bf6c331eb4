package org.mirari.runtime.net;

import java.util.List;

/**
 * What a {@code main-ip} app receives: the configured interfaces (one today). On host sockets
 * it describes the host interface that carries the configured address; on Mirari's own stack,
 * the tap or virtio device the stack drives. Either way the app opens ordinary JDK channels.
 */
public interface Network {
    /** The single configured interface. */
    NetInterface iface();

    /** Every configured interface. */
    List<NetInterface> interfaces();

    /** A network of the given interfaces (at least one; the first is {@link #iface()}). */
    static Network of(List<NetInterface> interfaces) {
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one interface");
        }
        List<NetInterface> copy = List.copyOf(interfaces);
        record Simple(List<NetInterface> interfaces) implements Network {
            @Override
            public NetInterface iface() {
                return interfaces.getFirst();
            }
        }
        return new Simple(copy);
    }
}
