package org.mirari.net.stack.tcp;

import org.mirari.net.wire.Ipv4Address;

/** A connection's identity, the 4-tuple the stack demultiplexes on, seen from this side. */
public record TcpTuple(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort) {
    @Override
    public String toString() {
        return localAddress + ":" + localPort + " <-> " + remoteAddress + ":" + remotePort;
    }
}
