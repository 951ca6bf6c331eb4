package org.mirari.net.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/**
 * Frames captured from Linux by {@code capture-fixtures.sh} (veth pair between two namespaces:
 * 02:00:00:00:00:01 = 10.99.0.1 runs dnsmasq, 02:00:00:00:00:02 = 10.99.0.2 runs busybox).
 */
final class Fixtures {
    static final int DHCP_DISCOVER = 0,
            ARP_PROBE_REQUEST = 1,
            DNSMASQ_PING_CHECK = 4,
            DHCP_OFFER = 5,
            DHCP_REQUEST = 8,
            DHCP_ACK = 9,
            ARP_REQUEST = 10,
            ARP_REPLY = 11,
            ECHO_REQUEST = 12,
            ECHO_REPLY = 13,
            FRAG_FIRST = 14,
            FRAG_LAST = 15,
            UDP = 18,
            PORT_UNREACHABLE = 19;
    private static List<PcapReader.Record> records;

    static synchronized List<PcapReader.Record> all() {
        if (records == null) {
            try (var in = Fixtures.class.getResourceAsStream("fixtures.pcap")) {
                records = PcapReader.read(ByteBuffer.wrap(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
        }
        return records;
    }

    /** A fresh read-only copy of frame {@code i}. */
    static ByteBuffer frame(int i) {
        return all().get(i).frame().asReadOnlyBuffer();
    }

    static ByteBuffer payloadOf(int i) throws MalformedPacketException {
        return EthernetFrame.parse(frame(i)).payload();
    }

    static ByteBuffer ipPayloadOf(int i) throws MalformedPacketException {
        return Ipv4Packet.parse(payloadOf(i)).payload();
    }

    static byte[] bytes(ByteBuffer b) {
        var d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static ByteBuffer hex(String h) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(h.replaceAll("\\s", "")));
    }

    private Fixtures() {}
}
