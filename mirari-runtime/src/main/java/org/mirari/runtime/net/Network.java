package org.mirari.runtime.net;

import java.util.List;

/** What a {@code main-ip} app receives: the configured interfaces (one today). */
public interface Network {
    /** The single configured interface. */
    NetInterface iface();

    /** Every configured interface. */
    List<NetInterface> interfaces();
}
