package org.mirari.net.stack;

import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mirari.net.NetClock;
import org.mirari.net.device.NetDevice;
import org.mirari.net.wire.ArpPacket;
import org.mirari.net.wire.DhcpMessage;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.IcmpMessage;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.MalformedPacketException;
import org.mirari.net.wire.UdpDatagram;

/**
 * One Ethernet interface with IPv4: ARP, IPv4 input checks and reassembly, on-link vs gateway
 * routing, ICMP echo and errors, UDP sockets and an optional DHCP client. Every entry point takes
 * the time as an argument ({@link #poll}) or gets it from the socket's clock; the stack itself never
 * reads a clock and never blocks. All methods are synchronized on the stack: the driver loop and
 * application threads call in concurrently.
 */
public final class NetStack implements AutoCloseable {
    /** Frames handled per {@link #poll} before timers run, so a flood cannot starve them. */
    static final int POLL_BUDGET = 256;
    public static final int EPHEMERAL_FIRST = 49152, EPHEMERAL_LAST = 65535;
    private static final int ICMP_QUOTE = 576 - 20 - 8; // RFC 1812 4.3.2.3: keep the error within 576 bytes

    /** Counters and table sizes, for tests and diagnostics. */
    public record Stats(long framesIn, long framesOut, long malformed, long ignored, int arpEntries, int arpQueued,
                        long arpDropped, int reassembling, int udpSockets, long udpNoPort, long icmpLimited) {}

    private final NetDevice device;
    private final MacAddress mac;
    private final RandomGenerator random;
    private final ArpCache arp = new ArpCache();
    private final Reassembler reassembler = new Reassembler();
    private final TokenBucket icmpErrors = new TokenBucket(100, 20);   // RFC 1812 4.3.2.8; Linux: 1000/s burst 50 globally
    private final TokenBucket icmpEchoes = new TokenBucket(1000, 100);
    private final Map<Integer, List<UdpSocket>> udp = new HashMap<>();
    private final ArrayDeque<ByteBuffer> loopback = new ArrayDeque<>();
    private final ByteBuffer rx;
    private final List<Consumer<Optional<Ipv4Config>>> configListeners = new CopyOnWriteArrayList<>();
    private Optional<Ipv4Config> config = Optional.empty();
    private DhcpClient dhcp;
    private int nextIpId;
    private int nextEphemeral;
    private boolean closed;
    private long framesIn, framesOut, malformed, ignored, arpDropped, udpNoPort, icmpLimited;

    public NetStack(NetDevice device, RandomGenerator random) {
        this.device = device;
        this.mac = device.mac();
        this.random = random;
        this.rx = ByteBuffer.allocate(Math.max(device.mtu(), 1500) + EthernetFrame.HEADER_LEN + 64);
        this.nextIpId = random.nextInt(0x10000);
        this.nextEphemeral = EPHEMERAL_FIRST + random.nextInt(EPHEMERAL_LAST - EPHEMERAL_FIRST + 1);
    }

    public MacAddress mac() { return mac; }
    public NetDevice device() { return device; }
    public synchronized Optional<Ipv4Config> config() { return config; }

    /** Called with each new configuration (and empty when DHCP loses the lease). */
    public void addConfigListener(Consumer<Optional<Ipv4Config>> l) { configListeners.add(l); }

    /** Sets a static address and announces it with a gratuitous ARP (RFC 5227 section 3). */
    public synchronized void configure(Ipv4Config c, long now) throws IOException {
        setConfig(Optional.of(c));
        sendArp(ArpPacket.REQUEST, c.address(), MacAddress.ZERO, c.address(), MacAddress.BROADCAST);
    }

    /** Starts DHCP: the interface has no address until a lease arrives. */
    public synchronized void startDhcp(long now) throws IOException {
        dhcp = new DhcpClient(mac, random);
        apply(dhcp.start(now), now);
    }

    public synchronized Optional<DhcpClient> dhcp() { return Optional.ofNullable(dhcp); }

    private void setConfig(Optional<Ipv4Config> c) {
        if (c.equals(config)) return;
        config = c;
        for (var l : configListeners) l.accept(c);
    }

    // ---------------------------------------------------------------- driving

    /**
     * Handles up to {@link #POLL_BUDGET} received frames, then every timer due at {@code now}.
     * Returns true when frames may still be waiting (call again before sleeping).
     */
    public synchronized boolean poll(long now) throws IOException {
        if (closed) return false;
        int handled = 0;
        while (handled < POLL_BUDGET) {
            var b = loopback.poll();
            if (b != null) { handleIpv4(b, now); handled++; continue; }
            rx.clear();
            int n = device.receive(rx);
            if (n < 0) break;
            handled++;
            framesIn++;
            handleFrame(rx.flip(), now);
        }
        timers(now);
        return handled >= POLL_BUDGET;
    }

    /** The earliest time a timer needs {@link #poll}, or {@link Long#MAX_VALUE}. */
    public synchronized long nextDeadline() {
        long t = Math.min(arp.nextDeadline(), reassembler.nextDeadline());
        if (dhcp != null) t = Math.min(t, dhcp.nextDeadline());
        return t;
    }

    private void timers(long now) throws IOException {
        var due = arp.poll(now);
        arpDropped += due.dropped();
        for (var ip : due.requests()) sendArpRequest(ip);
        reassembler.expire(now);
        if (dhcp != null) apply(dhcp.onTimer(now), now);
    }

    // ---------------------------------------------------------------- input

    private void handleFrame(ByteBuffer frame, long now) throws IOException {
        EthernetFrame f;
        try {
            f = EthernetFrame.parse(frame);
        } catch (MalformedPacketException e) {
            malformed++;
            return;
        }
        if (!f.dst().equals(mac) && !f.dst().isBroadcast()) { ignored++; return; }
        int type = f.type().value();
        if (type == EtherType.ARP.value()) handleArp(f.payload(), now);
        else if (type == EtherType.IPV4.value()) handleIpv4(f.payload(), now);
        else ignored++;
    }

    /** RFC 826 "packet reception", with the merge flag. */
    private void handleArp(ByteBuffer b, long now) throws IOException {
        ArpPacket a;
        try {
            a = ArpPacket.parse(b);
        } catch (MalformedPacketException e) {
            malformed++;
            return;
        }
        if (config.isEmpty() || a.senderIp().isAny() || a.senderMac().isGroup()) { ignored++; return; }
        var me = config.get().address();
        boolean forMe = a.targetIp().equals(me);
        var flush = arp.learn(a.senderIp(), a.senderMac(), now, forMe);
        for (var packet : flush.packets()) sendFrame(flush.mac(), EtherType.IPV4, packet);
        if (forMe && a.operation() == ArpPacket.REQUEST)
            sendArp(ArpPacket.REPLY, me, a.senderMac(), a.senderIp(), a.senderMac());
    }

    private void handleIpv4(ByteBuffer b, long now) throws IOException {
        Ipv4Packet p;
        try {
            p = Ipv4Packet.parse(b);
        } catch (MalformedPacketException e) {
            malformed++;
            return;
        }
        var dst = p.dst();
        boolean broadcast = dst.isBroadcast() || config.map(c -> c.subnetBroadcast().equals(dst)).orElse(false);
        boolean mine = config.map(c -> c.address().equals(dst)).orElse(false);
        // Before a lease, DHCP replies may come unicast to the offered address (RFC 2131 4.1).
        boolean dhcpBeforeLease = config.isEmpty() && dhcp != null && p.protocol().equals(IpProtocol.UDP);
        if (!mine && !broadcast && !dhcpBeforeLease) { ignored++; return; }
        if (p.src().isBroadcast() || p.src().isMulticast()) { ignored++; return; } // RFC 1122 3.2.1.3
        ByteBuffer payload = p.payload();
        if (p.isFragment()) {
            var whole = reassembler.offer(p, now);
            if (whole.isEmpty()) return;
            payload = whole.get();
        }
        switch (p.protocol().value()) {
            case 1 -> handleIcmp(p, payload, mine, now);
            case 17 -> handleUdp(p, payload, mine, now);
            default -> {
                if (mine && !p.isFragment()) sendIcmpError(p, 2 /* protocol unreachable */, now);
                else ignored++;
            }
        }
    }

    private void handleIcmp(Ipv4Packet p, ByteBuffer payload, boolean mine, long now) throws IOException {
        IcmpMessage m;
        try {
            m = IcmpMessage.parse(payload);
        } catch (MalformedPacketException e) {
            malformed++;
            return;
        }
        // Echo to broadcast is ignored, as Linux's icmp_echo_ignore_broadcasts does (RFC 1122 3.2.2.6 allows it).
        if (m.type() == IcmpMessage.ECHO_REQUEST && mine) {
            if (!icmpEchoes.take(now)) { icmpLimited++; return; }
            var reply = new IcmpMessage(IcmpMessage.ECHO_REPLY, 0, m.rest(), m.body());
            sendIp(IpProtocol.ICMP, p.dst(), p.src(), reply.toBuffer(), now);
        } else {
            ignored++;
        }
    }

    private void handleUdp(Ipv4Packet p, ByteBuffer payload, boolean mine, long now) throws IOException {
        UdpDatagram u;
        try {
            u = UdpDatagram.parse(payload, p.src(), p.dst());
        } catch (MalformedPacketException e) {
            malformed++;
            return;
        }
        if (dhcp != null && u.dstPort() == DhcpMessage.CLIENT_PORT && u.srcPort() == DhcpMessage.SERVER_PORT) {
            try {
                apply(dhcp.onMessage(DhcpMessage.parse(u.payload()), now), now);
            } catch (MalformedPacketException e) {
                malformed++;
            }
            return;
        }
        if (config.isEmpty()) { ignored++; return; }
        var sockets = udp.get(u.dstPort());
        UdpSocket target = null;
        if (sockets != null) {
            for (var s : sockets) {
                if (s.localAddress().equals(p.dst())) { target = s; break; }
                if (s.localAddress().isAny() && target == null) target = s;
            }
        }
        if (target == null) {
            udpNoPort++;
            // RFC 1122 3.2.2: no ICMP error about a datagram sent to a broadcast address
            if (mine && p.fragmentOffset() == 0) sendIcmpError(p, IcmpMessage.CODE_PORT_UNREACHABLE, now);
            return;
        }
        // Copy out of the receive buffer: it is reused for the next frame.
        var data = ByteBuffer.allocate(u.payload().remaining()).put(u.payload()).flip();
        target.deliver(new UdpSocket.Datagram(p.src(), u.srcPort(), p.dst(), data));
    }

    // ---------------------------------------------------------------- output

    /** An ICMP destination-unreachable about {@code p}, rate-limited (RFC 1812 4.3.2.8). */
    private void sendIcmpError(Ipv4Packet p, int code, long now) throws IOException {
        if (!icmpErrors.take(now)) { icmpLimited++; return; }
        if (p.protocol().equals(IpProtocol.ICMP)) {
            // never an error about an ICMP error (RFC 1122 3.2.2)
            var body = p.payload();
            if (body.remaining() > 0 && (body.get(body.position()) & 0xff) != IcmpMessage.ECHO_REQUEST
                    && (body.get(body.position()) & 0xff) != IcmpMessage.ECHO_REPLY) return;
        }
        var original = p.toBuffer();
        var quote = original.slice(0, Math.min(original.remaining(), ICMP_QUOTE));
        var msg = new IcmpMessage(IcmpMessage.DEST_UNREACHABLE, code, 0, quote);
        sendIp(IpProtocol.ICMP, config.get().address(), p.src(), msg.toBuffer(), now);
    }

    synchronized void sendUdp(UdpSocket s, Ipv4Address dst, int dstPort, ByteBuffer payload, long now) throws IOException {
        if (closed) throw new IOException("network stack is closed");
        if (dstPort < 1 || dstPort > 65535) throw new IllegalArgumentException("port " + dstPort);
        var c = config.orElseThrow(() -> new NoRouteToHostException("interface has no IPv4 address yet"));
        var src = s.localAddress().isAny() ? c.address() : s.localAddress();
        if (UdpDatagram.HEADER_LEN + payload.remaining() > 65535 - Ipv4Packet.HEADER_LEN)
            throw new IOException("datagram of " + payload.remaining() + " bytes is larger than UDP allows");
        var u = new UdpDatagram(s.port(), dstPort, payload.duplicate());
        sendIp(IpProtocol.UDP, src, dst, u.toBuffer(src, dst), now);
    }

    /**
     * Routes and sends one IPv4 payload, fragmenting it when it exceeds the MTU (RFC 791 3.2).
     * On-link destinations are resolved directly, others through the gateway.
     */
    private void sendIp(IpProtocol proto, Ipv4Address src, Ipv4Address dst, ByteBuffer payload, long now) throws IOException {
        int id = nextIpId++ & 0xffff;
        var packets = fragment(proto, src, dst, id, payload);
        if (config.isPresent() && dst.equals(config.get().address())) {
            loopback.addAll(packets);
            device.wakeup();
            return;
        }
        if (dst.isBroadcast() || config.map(c -> c.subnetBroadcast().equals(dst)).orElse(false)) {
            for (var packet : packets) sendFrame(MacAddress.BROADCAST, EtherType.IPV4, packet);
            return;
        }
        if (dst.isMulticast()) {
            var m = new MacAddress(0x01005e000000L | (dst.bits() & 0x7fffff)); // RFC 1112 6.4
            for (var packet : packets) sendFrame(m, EtherType.IPV4, packet);
            return;
        }
        var c = config.orElseThrow(() -> new NoRouteToHostException("interface has no IPv4 address yet"));
        Ipv4Address hop;
        if (c.onLink(dst)) hop = dst;
        else hop = c.gateway().orElseThrow(() -> new NoRouteToHostException(
                dst + " is not on " + c.address() + "/" + c.netmask().prefixLength() + " and there is no gateway"));
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

    private List<ByteBuffer> fragment(IpProtocol proto, Ipv4Address src, Ipv4Address dst, int id, ByteBuffer payload) {
        int max = (device.mtu() - Ipv4Packet.HEADER_LEN) & ~7;
        var out = new ArrayList<ByteBuffer>();
        if (payload.remaining() + Ipv4Packet.HEADER_LEN <= device.mtu()) {
            out.add(Ipv4Packet.of(id, proto, src, dst, payload).toBuffer());
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

    private void sendArpRequest(Ipv4Address target) throws IOException {
        var me = config.map(Ipv4Config::address).orElse(Ipv4Address.ANY);
        sendArp(ArpPacket.REQUEST, me, MacAddress.ZERO, target, MacAddress.BROADCAST);
    }

    private void sendArp(int op, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, MacAddress to) throws IOException {
        var a = new ArpPacket(op, mac, senderIp, targetMac, targetIp);
        sendFrame(to, EtherType.ARP, a.toBuffer());
    }

    private void sendFrame(MacAddress to, EtherType type, ByteBuffer payload) throws IOException {
        var frame = ByteBuffer.allocate(EthernetFrame.HEADER_LEN + Math.max(payload.remaining(), 46)); // pad to 60 bytes
        new EthernetFrame(to, mac, type, payload).emit(frame);
        framesOut++;
        device.send(frame.clear());
    }

    private void apply(List<DhcpClient.Action> actions, long now) throws IOException {
        for (var a : actions) {
            switch (a) {
                case DhcpClient.Send s -> {
                    var u = new UdpDatagram(DhcpMessage.CLIENT_PORT, DhcpMessage.SERVER_PORT, s.message().toBuffer());
                    var ip = Ipv4Packet.of(nextIpId++ & 0xffff, IpProtocol.UDP, s.src(), s.dst(), u.toBuffer(s.src(), s.dst()));
                    if (s.dst().isBroadcast()) sendFrame(MacAddress.BROADCAST, EtherType.IPV4, ip.toBuffer());
                    else sendIp(IpProtocol.UDP, s.src(), s.dst(), u.toBuffer(s.src(), s.dst()), now);
                }
                case DhcpClient.Configured c -> setConfig(Optional.of(c.lease().config()));
                case DhcpClient.Deconfigured d -> { setConfig(Optional.empty()); arp.clear(); }
            }
        }
    }

    // ---------------------------------------------------------------- sockets

    /**
     * Opens a UDP socket on {@code port} (0 picks a free ephemeral port) and {@code local} (ANY for
     * every address). {@link BindException} when the port is taken.
     */
    public synchronized UdpSocket openUdp(Ipv4Address local, int port, NetClock clock) throws IOException {
        if (closed) throw new IOException("network stack is closed");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (port == 0) port = ephemeralPort();
        var list = udp.computeIfAbsent(port, k -> new ArrayList<>());
        for (var s : list) {
            if (s.localAddress().isAny() || local.isAny() || s.localAddress().equals(local)) {
                if (list.isEmpty()) udp.remove(port);
                throw new BindException("UDP port " + port + " is already in use");
            }
        }
        var s = new UdpSocket(this, clock, local, port);
        list.add(s);
        return s;
    }

    private int ephemeralPort() throws BindException {
        int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        for (int i = 0; i < span; i++) { // bounded search: never loops forever when all are taken
            int p = nextEphemeral;
            nextEphemeral = nextEphemeral == EPHEMERAL_LAST ? EPHEMERAL_FIRST : nextEphemeral + 1;
            if (!udp.containsKey(p)) return p;
        }
        throw new BindException("no free UDP port in " + EPHEMERAL_FIRST + "-" + EPHEMERAL_LAST);
    }

    synchronized void unbind(UdpSocket s) {
        var list = udp.get(s.port());
        if (list == null) return;
        list.remove(s);
        if (list.isEmpty()) udp.remove(s.port());
    }

    public synchronized Stats stats() {
        int sockets = 0;
        for (var l : udp.values()) sockets += l.size();
        return new Stats(framesIn, framesOut, malformed, ignored, arp.size(), arp.queuedPackets(), arpDropped,
                reassembler.size(), sockets, udpNoPort, icmpLimited);
    }

    /** Closes every socket and empties every table; the device is the caller's to close. */
    @Override
    public void close() {
        List<UdpSocket> sockets = new ArrayList<>();
        synchronized (this) {
            if (closed) return;
            for (var l : udp.values()) sockets.addAll(l);
        }
        for (var s : sockets) s.close();
        synchronized (this) {
            closed = true;
            udp.clear();
            arp.clear();
            reassembler.clear();
            loopback.clear();
            dhcp = null;
        }
    }
}
