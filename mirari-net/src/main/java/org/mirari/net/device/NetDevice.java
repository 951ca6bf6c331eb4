package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mirari.net.wire.MacAddress;

/**
 * An Ethernet device: whole frames in and out (no FCS), never blocking except in {@link #await}.
 * Decorators (fault injection, pcap recording) wrap another device.
 *
 * <p>Offloads: a device may say in {@link #offloads()} that it takes unfinished frames (partial
 * checksums, TCP super-segments) and gives frames longer than the MTU. A stack that ignores this
 * still works: {@link #send(ByteBuffer)} and {@link #receive(ByteBuffer)} keep their plain meaning, and
 * {@link #send(ByteBuffer, TxOffload)} finishes in software where the device cannot.
 */
public interface NetDevice extends AutoCloseable {
    /** The stack's own MAC address on this device. */
    MacAddress mac();

    /** The largest Ethernet payload (the IP MTU), 1500 on a default tap. */
    int mtu();

    /** What this device does beyond plain frames; {@link Offloads#none} unless it says otherwise. */
    default Offloads offloads() {
        return Offloads.none(mtu());
    }

    /**
     * Copies the next received frame into {@code dst} at its position (advancing it) and returns its
     * length, or -1 when no frame is waiting. {@code dst} must hold {@code offloads().maxFrameLength()}
     * bytes ({@code mtu() + 14} on a device without offloads). Every frame has correct checksums.
     */
    int receive(ByteBuffer dst) throws IOException;

    /**
     * As {@link #receive(ByteBuffer)}, and says in {@code status} whether the frame's checksum may go
     * unchecked ({@link RxStatus#checksumValid()}). A device that offers no receive offload says
     * false; one that does may hand over frames whose checksums are left partial, which only this
     * method may do.
     */
    default int receive(ByteBuffer dst, RxStatus status) throws IOException {
        status.checksumValid(false);
        return receive(dst);
    }

    /** Sends the frame between {@code frame}'s position and limit. A full device queue drops it, as a NIC does. */
    void send(ByteBuffer frame) throws IOException;

    /**
     * Sends a frame that the device is to finish as {@code offload} says (see {@link TxOffload}). The
     * default finishes it in software ({@link SoftwareOffload}) and sends the result with
     * {@link #send(ByteBuffer)}; a device that can do it itself ({@link #offloads()}) overrides this.
     */
    default void send(ByteBuffer frame, TxOffload offload) throws IOException {
        SoftwareOffload.finish(frame, offload, this::send);
    }

    /** Waits up to {@code timeoutNanos} for a frame to arrive or {@link #wakeup()}; may return early. */
    void await(long timeoutNanos) throws IOException, InterruptedException;

    /** Makes a current or the next {@link #await} return at once. */
    void wakeup();

    @Override
    void close() throws IOException;
}
