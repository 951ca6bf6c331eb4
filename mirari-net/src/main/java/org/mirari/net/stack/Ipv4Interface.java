package org.mirari.net.stack;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.TxOffload;
import org.mirari.net.wire.ArpPacket;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.MalformedPacketException;

/**
 * The interface layer of one Ethernet device: ARP (RFC 826) with its cache and pending queues,
 * IPv4 input checks (RFC 1122 3.2.1) and bounded reassembly, the dispatch of each datagram to the
 * handler of its {@link IpProtocol}, and output: routing (on-link or through the gateway),
 * fragmentation (RFC 791 3.2), the bounded loopback queue and framing. It knows no sockets; the
 * {@link NetStack} that owns it registers the protocol handlers and calls it only under its lock.
 */
final class Ipv4Interface {
    /** Packets to our own address waiting for the next poll; more are dropped (a full queue, as a NIC's). */
    static final int LOOPBACK_QUEUE = 1024;

    /** What the interface does with a datagram of one protocol. */
    @FunctionalInterface
    interface IpHandler {
        /**
         * {@code checksumValid}: the device vouched for the payload's UDP or TCP checksum (see
         * {@link org.mirari.net.device.RxStatus}), which may then be left partial and must not be checked.
         */
        void input(Ipv4Packet p, ByteBuffer payload, boolean mine, boolean checksumValid, long now) throws IOException;
    }

    /** What the interface asks of the stack above it that is not a protocol handler (DHCP's needs). */
    interface Upcalls {
        /** Every ARP packet received, before any check: a DHCP client probing an address watches them all (RFC 5227 2.1.1). */
        void arpSeen(ArpPacket a, long now) throws IOException;

        /** Whether to take a datagram not addressed to us while the interface has no address (a DHCP reply, RFC 2131 4.1). */
        boolean acceptsBeforeLease(Ipv4Packet p);

        /** A datagram for us of a protocol no handler takes (the stack answers protocol unreachable). */
        void unknownProtocol(Ipv4Packet p, long now) throws IOException;

        /** A datagram was queued on the loopback queue: the driver must poll again. */
        void loopbackQueued();
    }

    private final NetDevice device;
    private final MacAddress mac;
    private final Upcalls up;
    private final ArpCache arp = new ArpCache();
    private final Reassembler reassembler = new Reassembler();
    private final ArrayDeque<ByteBuffer> loopback = new ArrayDeque<>();
    private Map<IpProtocol, IpHandler> handlers = Map.of();
    private Optional<Ipv4Config> config = Optional.empty();
    private int nextIpId;
    // statistics
    private long framesIn, framesOut, linkMalformed, linkIgnored, arpDropped;
    private long ipIn, ipMalformed, ipIgnored, loopbackDropped;

    Ipv4Interface(NetDevice device, int firstIpId, Upcalls up) {
        this.device = device;
        this.mac = device.mac();
        this.nextIpId = firstIpId;
        this.up = up;
    }

    void handlers(Map<IpProtocol, IpHandler> h) {
        this.handlers = Map.copyOf(h);
    }

    MacAddress mac() {
        return mac;
    }

    int mtu() {
        return device.mtu();
    }

    Optional<Ipv4Config> config() {
        return config;
    }

    void setConfig(Optional<Ipv4Config> c) {
        config = c;
    }

    /** The next IPv4 identification (RFC 6864: unique only per source, destination and protocol while fragments live). */
    int nextIpId() {
        return nextIpId++ & 0xffff;
    }

    /** A datagram was dropped above this layer as not ours (counted with the IPv4 layer's). */
    void ignored() {
        ipIgnored++;
    }

    // ---------------------------------------------------------------- input

    /** Takes the next packet from the loopback queue and handles it; false when the queue is empty. */
    boolean pollLoopback(long now) throws IOException {
        var b = loopback.poll();
        if (b == null) return false;
        handleIpv4(b, false, now);
        return true;
    }

    boolean loopbackEmpty() {
        return loopback.isEmpty();
    }

    void handleFrame(ByteBuffer frame, boolean checksumValid, long now) throws IOException {
        framesIn++;
        EthernetFrame f;
        try {
            f = EthernetFrame.parse(frame);
        } catch (MalformedPacketException e) {
            linkMalformed++;
            return;
        }
        if (!f.dst().equals(mac) && !f.dst().isBroadcast()) {
            linkIgnored++;
            return;
        }
        if (f.type().equals(EtherType.ARP)) handleArp(f.payload(), now);
        else if (f.type().equals(EtherType.IPV4)) handleIpv4(f.payload(), checksumValid, now);
        else linkIgnored++;
    }

    /** RFC 826 "packet reception", with the merge flag. */
    private void handleArp(ByteBuffer b, long now) throws IOException {
        ArpPacket a;
        try {
            a = ArpPacket.parse(b);
        } catch (MalformedPacketException e) {
            linkMalformed++;
            return;
        }
        up.arpSeen(a, now);
        if (config.isEmpty() || a.senderIp().isAny() || a.senderMac().isGroup()) {
            linkIgnored++;
            return;
        }
        var me = config.get().address();
        boolean forMe = a.targetIp().equals(me);
        var flush = arp.learn(a.senderIp(), a.senderMac(), now, forMe);
        for (var packet : flush.packets()) sendFrame(flush.mac(), EtherType.IPV4, packet);
        if (forMe && a.operation() == ArpPacket.REQUEST)
            sendArp(ArpPacket.REPLY, me, a.senderMac(), a.senderIp(), a.senderMac());
    }

    private void handleIpv4(ByteBuffer b, boolean checksumValid, long now) throws IOException {
        Ipv4Packet p;
        try {
            p = Ipv4Packet.parse(b);
        } catch (MalformedPacketException e) {
            ipMalformed++;
            return;
        }
        ipIn++;
        var dst = p.dst();
        boolean broadcast = dst.isBroadcast()
                || config.map(c -> c.subnetBroadcast().equals(dst)).orElse(false);
        boolean mine = config.map(c -> c.address().equals(dst)).orElse(false);
        if (!mine && !broadcast && !(config.isEmpty() && up.acceptsBeforeLease(p))) {
            ipIgnored++;
            return;
        }
        if (p.src().isBroadcast() || p.src().isMulticast()) {
            ipIgnored++;
            return;
        } // RFC 1122 3.2.1.3
        ByteBuffer payload = p.payload();
        if (p.isFragment()) {
            var whole = reassembler.offer(p, now);
            if (whole.isEmpty()) return;
            payload = whole.get();
        }
        var handler = handlers.get(p.protocol());
        // A reassembled datagram's checksum is over all its fragments: the device vouched for none.
        if (handler != null) handler.input(p, payload, mine, checksumValid && !p.isFragment(), now);
        else if (mine && !p.isFragment()) up.unknownProtocol(p, now);
        else ipIgnored++;
    }

    // ---------------------------------------------------------------- timers

    long nextDeadline() {
        return Math.min(arp.nextDeadline(), reassembler.nextDeadline());
    }

    /** ARP retries and expiry, reassembly timeouts. */
    void timers(long now) throws IOException {
        var due = arp.poll(now);
        arpDropped += due.dropped();
        for (var ip : due.requests()) sendArpRequest(ip);
        reassembler.expire(now);
    }

    /** The address was lost: forget the neighbours learnt with it. */
    void forgetNeighbours() {
        arp.clear();
    }

    void clear() {
        arp.clear();
        reassembler.clear();
        loopback.clear();
    }

    // ---------------------------------------------------------------- output

    /**
     * Routes and sends one IPv4 payload, fragmenting it when it exceeds the MTU (RFC 791 3.2).
     * On-link destinations are resolved directly, others through the gateway.
     */
    void sendIp(IpProtocol proto, Ipv4Address src, Ipv4Address dst, ByteBuffer payload, boolean df, long now)
            throws IOException {
        var packets = fragment(proto, src, dst, nextIpId(), payload, df);
        if (config.isPresent() && dst.equals(config.get().address())) {
            for (var packet : packets) {
                if (loopback.size() >= LOOPBACK_QUEUE) {
                    loopbackDropped++;
                    continue;
                }
                loopback.add(packet);
            }
            up.loopbackQueued();
            return;
        }
        if (dst.isBroadcast()
                || config.map(c -> c.subnetBroadcast().equals(dst)).orElse(false)) {
            for (var packet : packets) sendFrame(MacAddress.BROADCAST, EtherType.IPV4, packet);
            return;
        }
        if (dst.isMulticast()) {
            var m = new MacAddress(0x01005e000000L | (dst.bits() & 0x7fffff)); // RFC 1112 6.4
            for (var packet : packets) sendFrame(m, EtherType.IPV4, packet);
            return;
        }
        var hop = nextHop(dst);
        var known = arp.lookup(hop, now);
        if (known.isPresent()) {
            for (var packet : packets) sendFrame(known.get(), EtherType.IPV4, packet);
            return;
        }
        boolean ask = false;
        for (var packet : packets) ask |= arp.enqueue(hop, packet, now);
        if (ask) {
            sendArpRequest(hop);
            device.wakeup(); // the driver must now wake for the retry timer
        }
    }

    /** The route: {@code dst} itself when on-link, else the gateway. */
    private Ipv4Address nextHop(Ipv4Address dst) throws NoRouteToHostException {
        var c = config.orElseThrow(() -> new NoRouteToHostException("interface has no IPv4 address yet"));
        if (c.onLink(dst)) return dst;
        return c.gateway()
                .orElseThrow(() -> new NoRouteToHostException(dst + " is not on " + c.address() + "/"
                        + c.netmask().prefixLength() + " and there is no gateway"));
    }

    /** The MAC to send a unicast datagram for {@code dst} to, when the route and ARP already know it; else null. */
    MacAddress resolvedUnicast(Ipv4Address dst, long now) {
        if (config.isEmpty()) return null;
        var c = config.get();
        if (dst.equals(c.address()) || dst.isBroadcast() || dst.isMulticast() || dst.equals(c.subnetBroadcast()))
            return null;
        Ipv4Address hop = c.onLink(dst) ? dst : c.gateway().orElse(null);
        return hop == null ? null : arp.lookup(hop, now).orElse(null);
    }

    private List<ByteBuffer> fragment(
            IpProtocol proto, Ipv4Address src, Ipv4Address dst, int id, ByteBuffer payload, boolean df) {
        int max = (device.mtu() - Ipv4Packet.HEADER_LEN) & ~7;
        var out = new ArrayList<ByteBuffer>(1);
        if (payload.remaining() + Ipv4Packet.HEADER_LEN <= device.mtu() || df) {
            out.add(new Ipv4Packet(0, id, df, false, 0, 64, proto, src, dst, payload).toBuffer());
            return out;
        }
        for (int off = 0; off < payload.remaining(); off += max) {
            int len = Math.min(max, payload.remaining() - off);
            boolean more = off + len < payload.remaining();
            var part = payload.slice(payload.position() + off, len);
            out.add(new Ipv4Packet(0, id, false, more, off, 64, proto, src, dst, part).toBuffer());
        }
        return out;
    }

    void sendArpRequest(Ipv4Address target) throws IOException {
        var me = config.map(Ipv4Config::address).orElse(Ipv4Address.ANY);
        sendArp(ArpPacket.REQUEST, me, MacAddress.ZERO, target, MacAddress.BROADCAST);
    }

    void sendArp(int op, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, MacAddress to)
            throws IOException {
        var a = new ArpPacket(op, mac, senderIp, targetMac, targetIp);
        sendFrame(to, EtherType.ARP, a.toBuffer());
    }

    /** Frames {@code payload} for {@code to}, padded to the 60-byte minimum. */
    void sendFrame(MacAddress to, EtherType type, ByteBuffer payload) throws IOException {
        var frame =
                ByteBuffer.allocate(EthernetFrame.HEADER_LEN + Math.max(payload.remaining(), 46)); // pad to 60 bytes
        new EthernetFrame(to, mac, type, payload).emit(frame);
        framesOut++;
        device.send(frame.clear());
    }

    /** Sends a frame a protocol built itself (the TCP fast path), with what the device is to finish. */
    void sendBuiltFrame(ByteBuffer frame, TxOffload offload) throws IOException {
        framesOut++;
        device.send(frame, offload);
    }

    // ---------------------------------------------------------------- statistics

    StackStats.Link linkStats() {
        return new StackStats.Link(framesIn, framesOut, linkMalformed, linkIgnored);
    }

    StackStats.Arp arpStats() {
        return new StackStats.Arp(arp.size(), arp.queuedPackets(), arpDropped);
    }

    StackStats.Ip ipStats() {
        return new StackStats.Ip(ipIn, ipMalformed, ipIgnored, reassembler.size(), loopback.size(), loopbackDropped);
    }

    /** A parse failure above this layer that Linux counts with IPv4's (a malformed ICMP message). */
    void malformed() {
        ipMalformed++;
    }
}
