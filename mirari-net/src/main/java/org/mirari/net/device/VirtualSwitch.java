package org.mirari.net.device;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.MacAddress;

/**
 * An in-memory learning Ethernet switch: frames to a learned unicast MAC go to that port, others
 * are flooded to every port but the sender's. Each port queues at most {@code portQueue} frames and
 * drops beyond, like a switch buffer. Several stacks in one JVM talk through it.
 */
public final class VirtualSwitch {
    private final int mtu;
    private final int portQueue;
    private final List<Port> ports = new ArrayList<>();
    private final Map<MacAddress, Port> learned = new HashMap<>();

    public VirtualSwitch(int mtu, int portQueue) {
        this.mtu = mtu;
        this.portQueue = portQueue;
    }

    public VirtualSwitch() {
        this(1500, 1024);
    }

    /** A new port whose device has MAC {@code mac}. */
    public synchronized NetDevice port(MacAddress mac) {
        var p = new Port(mac);
        ports.add(p);
        return p;
    }

    private synchronized void forward(Port from, ByteBuffer frame) {
        if (frame.remaining() < EthernetFrame.HEADER_LEN || frame.remaining() > mtu + EthernetFrame.HEADER_LEN) return;
        var src = MacAddress.read(frame, frame.position() + EthernetFrame.SRC);
        var dst = MacAddress.read(frame, frame.position() + EthernetFrame.DST);
        if (!src.isGroup()) learned.put(src, from);
        Port to = dst.isGroup() ? null : learned.get(dst);
        if (to != null) {
            if (to != from) to.queue.offer(frame);
            return;
        }
        for (Port p : ports) if (p != from) p.queue.offer(frame);
    }

    private synchronized void detach(Port p) {
        ports.remove(p);
        learned.values().removeIf(v -> v == p);
    }

    private final class Port extends QueuedDevice {
        private volatile boolean closed;

        Port(MacAddress mac) {
            super(mac, mtu, portQueue);
        }

        @Override
        public void send(ByteBuffer frame) {
            if (!closed) forward(this, frame);
        }

        @Override
        public void close() {
            closed = true;
            detach(this);
            queue.clear();
        }
    }
}
