package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.mirari.net.device.NetDevice;
import org.mirari.net.wire.*;

/**
 * A scripted neighbour on a switch port: the test injects hand-built frames and reads what the
 * stack under test sent, parsed.
 */
final class Peer {
    final NetDevice port;
    final MacAddress mac;
    final Ipv4Address ip;

    Peer(NetDevice port, Ipv4Address ip) {
        this.port = port;
        this.mac = port.mac();
        this.ip = ip;
    }

    /** Every frame received since the last call. */
    List<EthernetFrame> frames() throws IOException, MalformedPacketException {
        var out = new ArrayList<EthernetFrame>();
        var b = ByteBuffer.allocate(2000);
        while (true) {
            b.clear();
            if (port.receive(b) < 0) return out;
            var copy = ByteBuffer.allocate(b.position()).put(b.flip()).flip();
            out.add(EthernetFrame.parse(copy));
        }
    }

    List<ArpPacket> arps(List<EthernetFrame> frames) throws MalformedPacketException {
        var out = new ArrayList<ArpPacket>();
        for (var f : frames) if (f.type().equals(EtherType.ARP)) out.add(ArpPacket.parse(f.payload()));
        return out;
    }

    List<Ipv4Packet> ips(List<EthernetFrame> frames) throws MalformedPacketException {
        var out = new ArrayList<Ipv4Packet>();
        for (var f : frames) if (f.type().equals(EtherType.IPV4)) out.add(Ipv4Packet.parse(f.payload()));
        return out;
    }

    void send(MacAddress to, EtherType type, ByteBuffer payload) throws IOException {
        port.send(new EthernetFrame(to, mac, type, payload).toBuffer());
    }

    void sendArp(int op, MacAddress to, MacAddress targetMac, Ipv4Address targetIp) throws IOException {
        send(to, EtherType.ARP, new ArpPacket(op, mac, ip, targetMac, targetIp).toBuffer());
    }

    void sendIp(MacAddress to, IpProtocol proto, Ipv4Address dst, ByteBuffer payload) throws IOException {
        send(to, EtherType.IPV4, Ipv4Packet.of(77, proto, ip, dst, payload).toBuffer());
    }

    void sendUdp(MacAddress to, Ipv4Address dst, int srcPort, int dstPort, String text) throws IOException {
        var u = new UdpDatagram(srcPort, dstPort, ByteBuffer.wrap(text.getBytes()));
        sendIp(to, IpProtocol.UDP, dst, u.toBuffer(ip, dst));
    }

    static String text(ByteBuffer b) {
        var d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return new String(a);
    }

    static void assertNothing(List<EthernetFrame> frames) {
        assertThat(frames).isEmpty();
    }
}
