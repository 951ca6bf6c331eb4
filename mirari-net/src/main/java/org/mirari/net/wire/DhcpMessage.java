package org.mirari.net.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A DHCP message (RFC 2131 section 2) for Ethernet clients, with its options (RFC 2132). The
 * {@code sname} and {@code file} fields are skipped and emitted as zeros; option overload
 * (option 52) is not followed, which RFC 2131 allows a client that never asks for it.
 *
 * @param op      1 BOOTREQUEST, 2 BOOTREPLY
 * @param options in wire order, without pad and end
 */
public record DhcpMessage(
        int op,
        int xid,
        int secs,
        boolean broadcast,
        Ipv4Address ciaddr,
        Ipv4Address yiaddr,
        Ipv4Address siaddr,
        Ipv4Address giaddr,
        MacAddress chaddr,
        List<DhcpOption> options) {
    public static final int OP = 0,
            HTYPE = 1,
            HLEN = 2,
            HOPS = 3,
            XID = 4,
            SECS = 8,
            FLAGS = 10,
            CIADDR = 12,
            YIADDR = 16,
            SIADDR = 20,
            GIADDR = 24,
            CHADDR = 28,
            SNAME = 44,
            FILE = 108,
            COOKIE = 236,
            OPTIONS = 240;
    public static final int MAGIC_COOKIE = 0x63825363;
    /** BOOTP's minimum message (RFC 1542 section 2.1); some relays drop shorter ones. */
    public static final int MIN_LENGTH = 300;

    public static final int BOOTREQUEST = 1, BOOTREPLY = 2;
    public static final int DISCOVER = 1,
            OFFER = 2,
            REQUEST = 3,
            DECLINE = 4,
            ACK = 5,
            NAK = 6,
            RELEASE = 7,
            INFORM = 8;
    public static final int SERVER_PORT = 67, CLIENT_PORT = 68;

    public DhcpMessage {
        options = List.copyOf(options);
    }

    public static DhcpMessage parse(ByteBuffer b) throws MalformedPacketException {
        var s = b.slice();
        if (s.remaining() < OPTIONS)
            throw new MalformedPacketException("DHCP message of " + s.remaining() + " bytes is shorter than 240");
        if (s.get(HTYPE) != 1 || s.get(HLEN) != 6)
            throw new MalformedPacketException(
                    "DHCP hardware type " + (s.get(HTYPE) & 0xff) + "/" + (s.get(HLEN) & 0xff) + " is not Ethernet");
        if (s.getInt(COOKIE) != MAGIC_COOKIE) throw new MalformedPacketException("DHCP magic cookie is missing");
        var options = new ArrayList<DhcpOption>();
        int i = OPTIONS;
        boolean ended = false;
        while (i < s.remaining() && !ended) {
            int code = s.get(i++) & 0xff;
            switch (code) {
                case 0 -> {} // pad
                case 255 -> ended = true;
                default -> {
                    if (i >= s.remaining())
                        throw new MalformedPacketException("DHCP option " + code + " has no length byte");
                    int len = s.get(i++) & 0xff;
                    if (i + len > s.remaining())
                        throw new MalformedPacketException(
                                "DHCP option " + code + " of " + len + " bytes runs past the message");
                    byte[] data = new byte[len];
                    s.get(i, data);
                    options.add(new DhcpOption(code, data));
                    i += len;
                }
            }
        }
        return new DhcpMessage(
                s.get(OP) & 0xff,
                s.getInt(XID),
                s.getShort(SECS) & 0xffff,
                (s.getShort(FLAGS) & 0x8000) != 0,
                Ipv4Address.read(s, CIADDR),
                Ipv4Address.read(s, YIADDR),
                Ipv4Address.read(s, SIADDR),
                Ipv4Address.read(s, GIADDR),
                MacAddress.read(s, CHADDR),
                options);
    }

    /** The first option with {@code code}. */
    public Optional<DhcpOption> option(int code) {
        for (var o : options) if (o.code() == code) return Optional.of(o);
        return Optional.empty();
    }

    /** The DHCP message type (option 53), or 0 for a plain BOOTP message. */
    public int messageType() {
        return option(DhcpOption.MESSAGE_TYPE)
                .filter(o -> o.data().length == 1)
                .map(o -> o.data()[0] & 0xff)
                .orElse(0);
    }

    /** An option holding one IPv4 address (or the first of several). */
    public Optional<Ipv4Address> addressOption(int code) {
        return option(code).filter(o -> o.data().length >= 4).map(o -> Ipv4Address.read(ByteBuffer.wrap(o.data()), 0));
    }

    /** An option holding an unsigned 32-bit number of seconds. */
    public Optional<Long> secondsOption(int code) {
        return option(code).map(DhcpOption::asUnsignedInt).filter(v -> v >= 0);
    }

    public int length() {
        int n = OPTIONS + 1;
        for (var o : options) n += 2 + o.data().length;
        return Math.max(n, MIN_LENGTH);
    }

    public void emit(ByteBuffer out) {
        int p = out.position(), len = length();
        for (int i = 0; i < len; i++) out.put(p + i, (byte) 0);
        out.put(p + OP, (byte) op)
                .put(p + HTYPE, (byte) 1)
                .put(p + HLEN, (byte) 6)
                .putInt(p + XID, xid)
                .putShort(p + SECS, (short) secs)
                .putShort(p + FLAGS, (short) (broadcast ? 0x8000 : 0));
        ciaddr.write(out, p + CIADDR);
        yiaddr.write(out, p + YIADDR);
        siaddr.write(out, p + SIADDR);
        giaddr.write(out, p + GIADDR);
        chaddr.write(out, p + CHADDR);
        out.putInt(p + COOKIE, MAGIC_COOKIE);
        out.position(p + OPTIONS);
        for (var o : options)
            out.put((byte) o.code()).put((byte) o.data().length).put(o.data());
        out.put((byte) 255);
        out.position(p + len);
    }

    public ByteBuffer toBuffer() {
        var out = ByteBuffer.allocate(length());
        emit(out);
        return out.flip();
    }
}
