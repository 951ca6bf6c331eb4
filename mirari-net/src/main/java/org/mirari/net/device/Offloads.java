package org.mirari.net.device;

/**
 * What a device does beyond one plain frame per call, so that the stack can hand it less finished
 * work. A device that offers nothing ({@link #NONE}) takes and gives only complete frames of at most
 * {@code mtu() + 14} bytes with correct checksums.
 *
 * @param txChecksum     {@link NetDevice#send(java.nio.ByteBuffer, TxOffload)} completes a partial
 *                       UDP or TCP checksum ({@link TxOffload#checksum}); the stack may skip summing
 *                       the payload
 * @param txTcp4Segments the same method cuts one IPv4 TCP super-segment of up to
 *                       {@link #maxFrameLength()} bytes into MSS-sized segments
 *                       ({@link TxOffload#tcp4Segments}); the kernel on a tap takes the whole one in
 *                       one write and may never cut it at all
 * @param rxLarge        frames received may be larger than {@code mtu() + 14}: the kernel hands over
 *                       TCP data as one super-segment (its IPv4 total length covers it all) instead of
 *                       MSS-sized ones, so a TCP receiver must accept segments longer than its MSS
 * @param maxFrameLength the largest frame in either direction, Ethernet header included; the size of
 *                       the buffer {@link NetDevice#receive} needs
 */
public record Offloads(boolean txChecksum, boolean txTcp4Segments, boolean rxLarge, int maxFrameLength) {
    /** The Ethernet header's length (no VLAN tag). */
    public static final int ETHERNET_HEADER = 14;
    /** The largest IPv4 datagram, and so the largest segment the kernel takes or gives with GSO. */
    public static final int MAX_IPV4 = 65535;

    public Offloads {
        if (maxFrameLength < 60) throw new IllegalArgumentException("maxFrameLength " + maxFrameLength);
    }

    /** Plain frames: what every device without offloads does. */
    public static Offloads none(int mtu) {
        return new Offloads(false, false, false, mtu + ETHERNET_HEADER);
    }
}
