package org.mirari.net.device;

/**
 * What a device must still do to a frame the stack hands it, in the terms of Linux's
 * {@code virtio_net_hdr} (which a tap with {@code IFF_VNET_HDR} takes as it is). Offsets count from
 * the start of the Ethernet frame.
 *
 * <p>A partial checksum follows Linux's {@code CHECKSUM_PARTIAL} convention: the stack writes the
 * folded, <em>not</em> complemented, sum of the pseudo-header (RFC 768; RFC 9293 section 3.1) into the
 * checksum field; the device sums from {@code checksumStart} to the end of the frame, complements the
 * folded sum and stores it at {@code checksumStart + checksumOffset}.
 *
 * <p>A TCP super-segment ({@code segmentSize > 0}) is one IPv4 packet whose total length covers all its
 * payload, with a correct IPv4 header checksum and a partial TCP checksum. Cut, each segment carries
 * {@code segmentSize} bytes of payload (the last one the rest), the sequence number advanced by the
 * bytes before it, IPv4 identifications counting up from the super-segment's, and FIN and PSH only on
 * the last segment, CWR only on the first (as Linux's {@code tcp_gso_segment} does).
 *
 * @param checksumStart  where the UDP or TCP header starts, or -1 for a frame that is complete
 * @param checksumOffset where the checksum field is within that header (6 for UDP, 16 for TCP)
 * @param segmentSize    the MSS to cut a TCP super-segment at, or 0 for a single frame
 * @param headerLength   Ethernet, IPv4 and TCP headers together (with options) of a super-segment, else 0
 */
public record TxOffload(int checksumStart, int checksumOffset, int segmentSize, int headerLength) {
    /** A complete frame: nothing to do. */
    public static final TxOffload NONE = new TxOffload(-1, 0, 0, 0);

    public static final int UDP_CHECKSUM_OFFSET = 6, TCP_CHECKSUM_OFFSET = 16;

    public TxOffload {
        if (checksumStart < -1 || checksumOffset < 0 || segmentSize < 0 || headerLength < 0)
            throw new IllegalArgumentException("negative offload field");
        if (segmentSize > 0
                && (checksumStart < 0 || checksumOffset != TCP_CHECKSUM_OFFSET || headerLength <= checksumStart))
            throw new IllegalArgumentException(
                    "a TCP super-segment needs a partial TCP checksum and its header length");
    }

    /** A partial UDP or TCP checksum for the header at {@code l4Start}, {@code fieldOffset} bytes in. */
    public static TxOffload checksum(int l4Start, int fieldOffset) {
        return new TxOffload(l4Start, fieldOffset, 0, 0);
    }

    /** An IPv4 TCP super-segment with its TCP header at {@code l4Start}, all headers {@code headerLength} long, cut at {@code mss}. */
    public static TxOffload tcp4Segments(int l4Start, int headerLength, int mss) {
        if (mss <= 0) throw new IllegalArgumentException("mss " + mss);
        return new TxOffload(l4Start, TCP_CHECKSUM_OFFSET, mss, headerLength);
    }

    public boolean isNone() {
        return checksumStart < 0;
    }

    public boolean isSegmented() {
        return segmentSize > 0;
    }
}
