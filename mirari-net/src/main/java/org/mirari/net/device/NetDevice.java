package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mirari.net.wire.MacAddress;

/**
 * An Ethernet device: whole frames in and out (no FCS), never blocking except in {@link #await}.
 * Decorators (fault injection, pcap recording) wrap another device.
 */
public interface NetDevice extends AutoCloseable {
    /** The stack's own MAC address on this device. */
    MacAddress mac();

    /** The largest Ethernet payload (the IP MTU), 1500 on a default tap. */
    int mtu();

    /**
     * Copies the next received frame into {@code dst} at its position (advancing it) and returns its
     * length, or -1 when no frame is waiting. {@code dst} must hold {@code mtu() + 14} bytes.
     */
    int receive(ByteBuffer dst) throws IOException;

    /** Sends the frame between {@code frame}'s position and limit. A full device queue drops it, as a NIC does. */
    void send(ByteBuffer frame) throws IOException;

    /** Waits up to {@code timeoutNanos} for a frame to arrive or {@link #wakeup()}; may return early. */
    void await(long timeoutNanos) throws IOException, InterruptedException;

    /** Makes a current or the next {@link #await} return at once. */
    void wakeup();

    @Override
    void close() throws IOException;
}
