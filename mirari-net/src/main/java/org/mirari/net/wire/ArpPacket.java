package org.mirari.net.wire;

import java.nio.ByteBuffer;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826). Other hardware or protocol types are well-formed
 * ARP but not this layout, so they are rejected as malformed for this record.
 *
 * @param operation 1 request, 2 reply; other values are kept as they are
 */
public record ArpPacket(
        int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
    public static final int HTYPE = 0,
            PTYPE = 2,
            HLEN = 4,
            PLEN = 5,
            OPER = 6,
            SHA = 8,
            SPA = 14,
            THA = 18,
            TPA = 24,
            LENGTH = 28;
    public static final int REQUEST = 1, REPLY = 2;

    public static ArpPacket parse(ByteBuffer b) throws MalformedPacketException {
        var s = b.slice();
        if (s.remaining() < LENGTH)
            throw new MalformedPacketException("ARP packet of " + s.remaining() + " bytes is shorter than 28");
        int htype = s.getShort(HTYPE) & 0xffff, ptype = s.getShort(PTYPE) & 0xffff;
        if (htype != 1 || ptype != 0x0800 || s.get(HLEN) != 6 || s.get(PLEN) != 4)
            throw new MalformedPacketException(
                    String.format("ARP for hardware type %d, protocol 0x%04x is not Ethernet/IPv4", htype, ptype));
        return new ArpPacket(
                s.getShort(OPER) & 0xffff,
                MacAddress.read(s, SHA),
                Ipv4Address.read(s, SPA),
                MacAddress.read(s, THA),
                Ipv4Address.read(s, TPA));
    }

    public static ArpPacket request(MacAddress mac, Ipv4Address ip, Ipv4Address target) {
        return new ArpPacket(REQUEST, mac, ip, MacAddress.ZERO, target);
    }

    public ArpPacket replyFrom(MacAddress mac) {
        return new ArpPacket(REPLY, mac, targetIp, senderMac, senderIp);
    }

    public void emit(ByteBuffer out) {
        int p = out.position();
        out.putShort(p + HTYPE, (short) 1)
                .putShort(p + PTYPE, (short) 0x0800)
                .put(p + HLEN, (byte) 6)
                .put(p + PLEN, (byte) 4)
                .putShort(p + OPER, (short) operation);
        senderMac.write(out, p + SHA);
        senderIp.write(out, p + SPA);
        targetMac.write(out, p + THA);
        targetIp.write(out, p + TPA);
        out.position(p + LENGTH);
    }

    public ByteBuffer toBuffer() {
        var out = ByteBuffer.allocate(LENGTH);
        emit(out);
        return out.flip();
    }
}
