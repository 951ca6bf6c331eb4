package org.mirari.net.stack;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mirari.net.NetClock;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.Offloads;
import org.mirari.net.device.RxStatus;
import org.mirari.net.device.TxOffload;
import org.mirari.net.stack.tcp.IsnGenerator;
import org.mirari.net.stack.tcp.TcpConfig;
import org.mirari.net.stack.tcp.TcpConnection;
import org.mirari.net.stack.tcp.TcpListener;
import org.mirari.net.stack.tcp.TcpState;
import org.mirari.net.stack.tcp.TcpTuple;
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
import org.mirari.net.wire.TcpOptions;
import org.mirari.net.wire.TcpSegment;
import org.mirari.net.wire.UdpDatagram;

/**
 * One Ethernet interface with IPv4 and its sockets. The interface layer ({@link Ipv4Interface}:
 * ARP, IPv4 input checks and reassembly, on-link vs gateway routing, fragmentation, loopback) hands
 * each datagram to the handler this class registers for its {@link IpProtocol} (ICMP, UDP, TCP);
 * the {@link SocketSet} holds UDP and TCP sockets. Egress is pulled:
 * after input, on a timer, or when an application call gave a socket something to send, the
 * stack asks that socket what is due ({@link TcpConnection#output}). Time comes in as an argument
 * ({@link #poll}) or from the socket's clock; the stack never reads a clock itself and never
 * blocks. One lock guards it all; listeners (selector wakeups, configuration changes) run only
 * after that lock is released.
 */
public final class NetStack implements AutoCloseable {
    /** Frames handled per {@link #poll} before timers run, so a flood cannot starve them. */
    static final int POLL_BUDGET = 256;
    /** Packets to our own address waiting for the next poll; more are dropped (a full queue, as a NIC's). */
    static final int LOOPBACK_QUEUE = Ipv4Interface.LOOPBACK_QUEUE;

    public static final int EPHEMERAL_FIRST = PortAllocator.FIRST, EPHEMERAL_LAST = PortAllocator.LAST;
    private static final int ICMP_QUOTE = 576 - 20 - 8; // RFC 1812 4.3.2.3: keep the error within 576 bytes

    final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> pendingNotify = new ArrayList<>();
    private final NetDevice device;
    private final MacAddress mac;
    private final Ipv4Interface iface;
    private final RandomGenerator random;
    private final TokenBucket icmpErrors =
            new TokenBucket(100, 20); // RFC 1812 4.3.2.8; Linux: 1000/s burst 50 globally
    private final TokenBucket icmpEchoes = new TokenBucket(1000, 100);
    private final SocketSet sockets;
    private final ByteBuffer rx;
    private final RxStatus rxStatus = new RxStatus();
    private final List<Consumer<Optional<Ipv4Config>>> configListeners = new CopyOnWriteArrayList<>();
    private final IsnGenerator isns;
    private volatile TcpConfig tcpConfig = TcpConfig.DEFAULT;
    private DhcpClient dhcp;
    private boolean closed;
    private long lastNow;
    private volatile long driverWakesAt = Long.MIN_VALUE;
    // statistics, by layer
    private long icmpErrorsIn, icmpDelivered, icmpLimited;
    private long udpNoPort, udpErrors;
    private long tcpActive, tcpPassive, tcpIn, tcpMalformed, tcpListenDrops, tcpOut, tcpRetrans, tcpRsts, tcpChallenges;

    public NetStack(NetDevice device, RandomGenerator random) {
        this(device, random, new SocketSet(random));
    }

    /** A stack whose ephemeral ports are {@code first}-{@code last} (tests of exhaustion). */
    NetStack(NetDevice device, RandomGenerator random, int first, int last) {
        this(device, random, new SocketSet(random, first, last));
    }

    private NetStack(NetDevice device, RandomGenerator random, SocketSet sockets) {
        this.device = device;
        this.mac = device.mac();
        this.random = random;
        this.sockets = sockets;
        this.isns = new IsnGenerator(random);
        // A device with offloads may hand over frames larger than the MTU (TCP super-segments).
        this.rx =
                ByteBuffer.allocate(Math.max(device.offloads().maxFrameLength(), 1500 + EthernetFrame.HEADER_LEN) + 64);
        this.iface = new Ipv4Interface(device, random.nextInt(0x10000), new Ipv4Interface.Upcalls() {
            @Override
            public void arpSeen(ArpPacket a, long now) throws IOException {
                // A DHCP client probing an offered address watches every ARP (RFC 5227 2.1.1), before it has one.
                if (dhcp != null && dhcp.state() == DhcpClient.State.PROBING)
                    apply(dhcp.onArp(a.senderMac(), a.senderIp(), a.targetIp(), now), now);
            }

            @Override
            public boolean acceptsBeforeLease(Ipv4Packet p) {
                // Before a lease, DHCP replies may come unicast to the offered address (RFC 2131 4.1).
                return dhcp != null && p.protocol().equals(IpProtocol.UDP);
            }

            @Override
            public void unknownProtocol(Ipv4Packet p, long now) throws IOException {
                sendIcmpError(p, 2 /* protocol unreachable */, now);
            }

            @Override
            public void loopbackQueued() {
                device.wakeup();
            }
        });
        iface.handlers(Map.of(
                IpProtocol.ICMP, this::handleIcmp, IpProtocol.UDP, this::handleUdp, IpProtocol.TCP, this::handleTcp));
    }

    public MacAddress mac() {
        return mac;
    }

    public NetDevice device() {
        return device;
    }

    public Optional<Ipv4Config> config() {
        lock.lock();
        try {
            return iface.config();
        } finally {
            lock.unlock();
        }
    }

    public TcpConfig tcpConfig() {
        return tcpConfig;
    }

    /** Changes TCP's tunables for connections opened from now on. */
    public void setTcpConfig(TcpConfig c) {
        tcpConfig = c;
    }

    /** Called with each new configuration (and empty when DHCP loses the lease); never under the stack's lock. */
    public void addConfigListener(Consumer<Optional<Ipv4Config>> l) {
        configListeners.add(l);
    }

    /** Sets a static address and announces it with a gratuitous ARP (RFC 5227 section 3). */
    public void configure(Ipv4Config c, long now) throws IOException {
        lock.lock();
        try {
            setConfig(Optional.of(c));
            iface.sendArp(ArpPacket.REQUEST, c.address(), MacAddress.ZERO, c.address(), MacAddress.BROADCAST);
        } finally {
            unlockAndNotify();
        }
    }

    /** Starts DHCP: the interface has no address until a lease arrives. */
    public void startDhcp(long now) throws IOException {
        startDhcp(now, DhcpClient.ProbeTiming.RFC_5227);
    }

    /**
     * Starts DHCP with other address-conflict timings than RFC 5227's (seconds of probing per lease):
     * for links known to be private, such as a test's own tap in its own namespace.
     */
    public void startDhcp(long now, DhcpClient.ProbeTiming timing) throws IOException {
        lock.lock();
        try {
            dhcp = new DhcpClient(mac, random, timing);
            apply(dhcp.start(now), now);
        } finally {
            unlockAndNotify();
        }
    }

    public Optional<DhcpClient> dhcp() {
        lock.lock();
        try {
            return Optional.ofNullable(dhcp);
        } finally {
            lock.unlock();
        }
    }

    private void setConfig(Optional<Ipv4Config> c) {
        if (c.equals(iface.config())) return;
        iface.setConfig(c);
        for (var l : configListeners) pendingNotify.add(() -> l.accept(c));
    }

    /**
     * Releases the lock, then runs the listeners queued under it; wakes the driver when a timer
     * was armed earlier than the driver means to wake.
     */
    void unlockAndNotify() {
        List<Runnable> run = null;
        long next = Long.MAX_VALUE;
        if (lock.getHoldCount() == 1) {
            if (!pendingNotify.isEmpty()) {
                run = new ArrayList<>(pendingNotify);
                pendingNotify.clear();
            }
            next = nextDeadlineLocked();
        }
        lock.unlock();
        if (next < driverWakesAt) device.wakeup();
        if (run != null) for (var r : run) r.run();
    }

    // ---------------------------------------------------------------- driving

    /**
     * Handles up to {@link #POLL_BUDGET} received frames, then every timer due at {@code now} and
     * the output of every socket with work. Returns true when frames may still be waiting (call
     * again before sleeping).
     */
    public boolean poll(long now) throws IOException {
        lock.lock();
        try {
            if (closed) return false;
            lastNow = now;
            int handled = 0;
            while (handled < POLL_BUDGET) {
                if (iface.pollLoopback(now)) {
                    handled++;
                    continue;
                }
                rx.clear();
                int n = device.receive(rx, rxStatus);
                if (n < 0) break;
                handled++;
                iface.handleFrame(rx.flip(), rxStatus.checksumValid(), now);
            }
            timers(now);
            return handled >= POLL_BUDGET || !iface.loopbackEmpty();
        } finally {
            unlockAndNotify();
        }
    }

    /** The earliest time a timer needs {@link #poll}, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        lock.lock();
        try {
            return nextDeadlineLocked();
        } finally {
            lock.unlock();
        }
    }

    private long nextDeadlineLocked() {
        long t = iface.nextDeadline();
        if (dhcp != null) t = Math.min(t, dhcp.nextDeadline());
        if (!sockets.dirty.isEmpty() || !iface.loopbackEmpty()) t = Math.min(t, lastNow);
        return Math.min(t, sockets.nextDeadline());
    }

    /** The driver says until when it sleeps, so an earlier timer armed by an app thread can wake it. */
    public void driverSleepsUntil(long t) {
        driverWakesAt = t;
    }

    private void timers(long now) throws IOException {
        iface.timers(now);
        if (dhcp != null) apply(dhcp.onTimer(now), now);
        for (var c : sockets.due(now)) sockets.markDirty(c);
        flushTcp(now);
    }

    long lastNow() {
        return lastNow;
    }

    // ---------------------------------------------------------------- input

    private void handleIcmp(Ipv4Packet p, ByteBuffer payload, boolean mine, boolean checksumValid, long now)
            throws IOException {
        IcmpMessage m;
        try {
            m = IcmpMessage.parse(payload);
        } catch (MalformedPacketException e) {
            iface.malformed();
            return;
        }
        // Echo to broadcast is ignored, as Linux's icmp_echo_ignore_broadcasts does (RFC 1122 3.2.2.6 allows it).
        if (m.type() == IcmpMessage.ECHO_REQUEST && mine) {
            if (!icmpEchoes.take(now)) {
                icmpLimited++;
                return;
            }
            var reply = new IcmpMessage(IcmpMessage.ECHO_REPLY, 0, m.rest(), m.body());
            iface.sendIp(IpProtocol.ICMP, p.dst(), p.src(), reply.toBuffer(), false, now);
        } else if ((m.type() == IcmpMessage.DEST_UNREACHABLE || m.type() == IcmpMessage.TIME_EXCEEDED) && mine) {
            icmpErrorsIn++;
            deliverIcmpError(m);
        } else {
            iface.ignored();
        }
    }

    /**
     * Hands an ICMP error to the socket whose datagram it quotes (RFC 1122 3.2.2.1, 4.1.3.3,
     * 4.2.3.9): the quote holds that datagram's IP header and at least 8 bytes after it, its ports.
     */
    private void deliverIcmpError(IcmpMessage m) {
        var q = m.body();
        if (q.remaining() < Ipv4Packet.HEADER_LEN + 8) return;
        int base = q.position();
        int ihl = (q.get(base) & 0x0f) * 4;
        if (ihl < Ipv4Packet.HEADER_LEN || q.remaining() < ihl + 8) return;
        var proto = new IpProtocol(q.get(base + Ipv4Packet.PROTOCOL) & 0xff);
        var src = Ipv4Address.read(q, base + Ipv4Packet.SRC);
        var dst = Ipv4Address.read(q, base + Ipv4Packet.DST);
        int sport = q.getShort(base + ihl) & 0xffff, dport = q.getShort(base + ihl + 2) & 0xffff;
        int code = m.code();
        boolean hard = m.type() == IcmpMessage.DEST_UNREACHABLE && (code == 2 || code == 3); // protocol, port
        if (proto.equals(IpProtocol.TCP)) {
            var c = sockets.tcp.get(new TcpTuple(src, sport, dst, dport));
            if (c == null) return;
            int mtu = m.rest() & 0xffff; // RFC 1191 4: next-hop MTU in the low half
            c.icmpError(
                    m.type(),
                    code,
                    mtu,
                    hard
                            ? new ConnectException("Connection refused (ICMP port unreachable from " + dst + ")")
                            : m.type() == IcmpMessage.DEST_UNREACHABLE && code != 4
                                    ? new NoRouteToHostException("No route to host (ICMP from " + dst + ")")
                                    : null);
            icmpDelivered++;
            touched(c);
        } else if (proto.equals(IpProtocol.UDP) && hard) {
            var list = sockets.udp.get(sport);
            if (list == null) return;
            for (var s : list) {
                if (s.localAddress().isAny() || s.localAddress().equals(src)) {
                    if (s.portUnreachable(dst, dport)) {
                        icmpDelivered++;
                        pendingNotify.add(s.listener());
                    }
                }
            }
        }
    }

    private void handleUdp(Ipv4Packet p, ByteBuffer payload, boolean mine, boolean checksumValid, long now)
            throws IOException {
        UdpDatagram u;
        try {
            u = UdpDatagram.parse(payload, p.src(), p.dst(), !checksumValid);
        } catch (MalformedPacketException e) {
            udpErrors++;
            return;
        }
        if (dhcp != null && u.dstPort() == DhcpMessage.CLIENT_PORT && u.srcPort() == DhcpMessage.SERVER_PORT) {
            try {
                apply(dhcp.onMessage(DhcpMessage.parse(u.payload()), now), now);
            } catch (MalformedPacketException e) {
                udpErrors++;
            }
            return;
        }
        if (iface.config().isEmpty()) {
            iface.ignored();
            return;
        }
        var list = sockets.udp.get(u.dstPort());
        UdpSocket target = null;
        if (list != null) {
            for (var s : list) {
                if (s.localAddress().equals(p.dst())) {
                    target = s;
                    break;
                }
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
        if (target.deliver(new UdpSocket.Datagram(p.src(), u.srcPort(), p.dst(), data)))
            pendingNotify.add(target.listener());
    }

    /** RFC 9293 3.10.7: to the connection of the 4-tuple, else a listener's SYN, else a RST. */
    private void handleTcp(Ipv4Packet p, ByteBuffer payload, boolean mine, boolean checksumValid, long now)
            throws IOException {
        if (!mine) {
            iface.ignored();
            return;
        } // no TCP to broadcast addresses
        TcpSegment seg;
        try {
            seg = TcpSegment.parse(payload, p.src(), p.dst(), !checksumValid);
        } catch (MalformedPacketException e) {
            tcpMalformed++;
            return;
        }
        tcpIn++;
        var tuple = new TcpTuple(p.dst(), seg.dstPort(), p.src(), seg.srcPort());
        var c = sockets.tcp.get(tuple);
        boolean bareSyn = seg.has(TcpSegment.SYN) && !seg.has(TcpSegment.ACK_FLAG) && !seg.has(TcpSegment.RST);
        if (c != null
                && c.state() == TcpState.TIME_WAIT
                && bareSyn
                && sockets.listener(p.dst(), seg.dstPort()) != null
                && c.acceptsNewIncarnation(seg.seq())) {
            // RFC 9293 3.6.1 / RFC 6191: a new SYN above the old sequence space may end TIME-WAIT
            removeConnection(c);
            c = null;
        }
        if (c != null) {
            c.input(seg, now);
            // Output after each segment, not once per batch of frames: the ACK clock (an ACK for
            // every second segment, a duplicate ACK for each out-of-order one) depends on it.
            touched(c);
            flushTcp(now);
            return;
        }
        var ls = sockets.listener(p.dst(), seg.dstPort());
        if (ls != null && bareSyn) {
            if (!ls.listener.admits()) {
                tcpListenDrops++;
                return;
            }
            int mss = device.mtu() - Ipv4Packet.HEADER_LEN - TcpSegment.HEADER_LEN;
            var nc = TcpConnection.accept(tcpConfig, tuple, isns.isn(tuple, now), mss, seg, now);
            offerSegmentation(nc);
            nc.attachment = ls;
            sockets.tcp.put(tuple, nc);
            ls.listener.embryonic(nc);
            tcpPassive++;
            touched(nc);
            return;
        }
        if (seg.has(TcpSegment.RST)) return; // never a reset for a reset
        // 3.10.7.1: a segment for no connection gets a RST that the sender will accept
        TcpSegment rst = seg.has(TcpSegment.ACK_FLAG)
                ? new TcpSegment(
                        seg.dstPort(),
                        seg.srcPort(),
                        seg.ack(),
                        0,
                        TcpSegment.RST,
                        0,
                        0,
                        TcpOptions.NONE,
                        ByteBuffer.allocate(0))
                : new TcpSegment(
                        seg.dstPort(),
                        seg.srcPort(),
                        0,
                        seg.seq() + seg.sequenceLength(),
                        TcpSegment.RST | TcpSegment.ACK_FLAG,
                        0,
                        0,
                        TcpOptions.NONE,
                        ByteBuffer.allocate(0));
        tcpRsts++;
        sendTcp(p.dst(), p.src(), rst, 536, now);
    }

    /** With TSO, a connection hands down segments of up to 64 KiB that the device cuts at its MSS. */
    private void offerSegmentation(TcpConnection c) {
        if (device.offloads().txTcp4Segments())
            c.setSegmentOffload(Offloads.MAX_IPV4 - Ipv4Packet.HEADER_LEN - TcpSegment.HEADER_LEN);
    }

    /** A connection had input or an app call: run its output in this round and wake its users. */
    private void touched(TcpConnection c) {
        sockets.markDirty(c);
    }

    /** Asks an app-touched connection for its output right away, on the caller's thread (under the lock). */
    void kick(TcpConnection c) {
        sockets.markDirty(c);
        try {
            flushTcp(lastNow = Math.max(lastNow, clockNow()));
        } catch (IOException e) {
            // A send failure is the device's; the connection retransmits.
        }
    }

    private NetClock clock = null;

    /** The clock app-thread calls use for their time (the driver's clock). */
    public void setClock(NetClock c) {
        this.clock = c;
    }

    private long clockNow() {
        return clock == null ? lastNow : clock.nanos();
    }

    /** Pulls output from every connection with work, then reschedules them and settles their fate. */
    private void flushTcp(long now) throws IOException {
        while (!sockets.dirty.isEmpty()) {
            var it = sockets.dirty.iterator();
            var c = it.next();
            it.remove();
            var t = c.tuple();
            long before = c.stats().segmentsOut,
                    rtxBefore = c.stats().retransmits,
                    rstBefore = c.stats().resetsOut,
                    chBefore = c.stats().challengeAcks;
            c.output(now, s -> {
                try {
                    sendTcp(t.localAddress(), t.remoteAddress(), s, c.mss(), now);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            tcpOut += c.stats().segmentsOut - before;
            tcpRetrans += c.stats().retransmits - rtxBefore;
            tcpRsts += c.stats().resetsOut - rstBefore;
            tcpChallenges += c.stats().challengeAcks - chBefore;
            settle(c);
        }
    }

    /** After input or output: queue moves, table removal, wakeups. */
    private void settle(TcpConnection c) {
        if (c.attachment instanceof TcpServerSocket ls) {
            if (c.isClosed()) {
                ls.listener.forget(c);
                sockets.tcp.remove(c.tuple());
                return;
            }
            if (c.state() != TcpState.SYN_RECEIVED && ls.listener.owns(c)) {
                boolean was = ls.listener.hasPending();
                ls.listener.established(c);
                if (!was) {
                    ls.signal();
                    pendingNotify.add(ls.onChange());
                }
            }
        } else if (c.attachment instanceof TcpSocket s) {
            if (s.update()) pendingNotify.add(s.listener());
        }
        if (c.isClosed()) removeConnection(c);
        else sockets.schedule(c);
    }

    private void removeConnection(TcpConnection c) {
        if (sockets.tcp.remove(c.tuple(), c) && c.attachment instanceof TcpSocket s && s.holdsPort()) {
            s.releasedPort();
            sockets.releaseTcp(c.tuple().localPort());
        }
        if (!c.isClosed()) c.abortQuietly();
    }

    // ---------------------------------------------------------------- output

    /** An ICMP destination-unreachable about {@code p}, rate-limited (RFC 1812 4.3.2.8). */
    private void sendIcmpError(Ipv4Packet p, int code, long now) throws IOException {
        if (!icmpErrors.take(now)) {
            icmpLimited++;
            return;
        }
        if (p.protocol().equals(IpProtocol.ICMP)) {
            // never an error about an ICMP error (RFC 1122 3.2.2)
            var body = p.payload();
            if (body.remaining() > 0
                    && (body.get(body.position()) & 0xff) != IcmpMessage.ECHO_REQUEST
                    && (body.get(body.position()) & 0xff) != IcmpMessage.ECHO_REPLY) return;
        }
        var original = p.toBuffer();
        var quote = original.slice(0, Math.min(original.remaining(), ICMP_QUOTE));
        var msg = new IcmpMessage(IcmpMessage.DEST_UNREACHABLE, code, 0, quote);
        iface.sendIp(IpProtocol.ICMP, iface.config().get().address(), p.src(), msg.toBuffer(), false, now);
    }

    /**
     * Sends one segment; {@code mss} is its connection's, at which the device cuts a super-segment
     * (one longer than the MTU allows, made when the device offers TSO).
     */
    private void sendTcp(Ipv4Address src, Ipv4Address dst, TcpSegment s, int mss, long now) throws IOException {
        var to = iface.resolvedUnicast(dst, now);
        int ipLen = Ipv4Packet.HEADER_LEN + s.length();
        boolean superSegment = ipLen > device.mtu();
        var offloads = device.offloads();
        if (to == null || (superSegment && !offloads.txTcp4Segments())) {
            // DF: the MSS keeps segments within the MTU; a super-segment is cut here first.
            for (var part : superSegment ? s.cut(mss) : List.of(s))
                iface.sendIp(IpProtocol.TCP, src, dst, part.toBuffer(src, dst), true, now);
            return;
        }
        // The common case written once, straight into the frame: Ethernet, IPv4 and TCP headers
        // and the data, instead of a buffer per layer. With checksum offload the data is never
        // summed here: the kernel does it (or never needs to, for a local receiver).
        boolean partial = offloads.txChecksum() || superSegment;
        var frame = ByteBuffer.allocate(EthernetFrame.HEADER_LEN + Math.max(ipLen, 46));
        to.write(frame, EthernetFrame.DST);
        mac.write(frame, EthernetFrame.SRC);
        frame.putShort(EthernetFrame.TYPE, (short) EtherType.IPV4.value());
        new Ipv4Packet(0, iface.nextIpId(), true, false, 0, 64, IpProtocol.TCP, src, dst, EMPTY)
                .emitHeader(frame.position(EthernetFrame.HEADER_LEN), s.length());
        int l4 = EthernetFrame.HEADER_LEN + Ipv4Packet.HEADER_LEN;
        s.emit(frame.position(l4), src, dst, partial);
        var offload = superSegment
                ? TxOffload.tcp4Segments(l4, l4 + s.headerLength(), mss)
                : partial ? TxOffload.checksum(l4, TxOffload.TCP_CHECKSUM_OFFSET) : TxOffload.NONE;
        iface.sendBuiltFrame(frame.clear(), offload);
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Sends the datagrams a UDP socket queued (its egress, pulled). */
    void flushUdp(UdpSocket s, long now) throws IOException {
        if (closed) throw new IOException("network stack is closed");
        UdpSocket.Outgoing o;
        while ((o = s.nextOutgoing()) != null) {
            var c = iface.config().orElseThrow(() -> new NoRouteToHostException("interface has no IPv4 address yet"));
            var src = s.localAddress().isAny() ? c.address() : s.localAddress();
            var u = new UdpDatagram(s.port(), o.dstPort(), o.payload());
            iface.sendIp(IpProtocol.UDP, src, o.dst(), u.toBuffer(src, o.dst()), false, now);
        }
    }

    void sendUdp(UdpSocket s, Ipv4Address dst, int dstPort, ByteBuffer payload, long now) throws IOException {
        if (dstPort < 1 || dstPort > 65535) throw new IllegalArgumentException("port " + dstPort);
        if (UdpDatagram.HEADER_LEN + payload.remaining() > 65535 - Ipv4Packet.HEADER_LEN)
            throw new IOException("datagram of " + payload.remaining() + " bytes is larger than UDP allows");
        lock.lock();
        try {
            if (closed) throw new IOException("network stack is closed");
            if (iface.config().isEmpty()) throw new NoRouteToHostException("interface has no IPv4 address yet");
            lastNow = Math.max(lastNow, now);
            s.queue(dst, dstPort, payload);
            flushUdp(s, now);
        } finally {
            unlockAndNotify();
        }
    }

    private void apply(List<DhcpClient.Action> actions, long now) throws IOException {
        for (var a : actions) {
            switch (a) {
                case DhcpClient.Send s -> {
                    var u = new UdpDatagram(
                            DhcpMessage.CLIENT_PORT,
                            DhcpMessage.SERVER_PORT,
                            s.message().toBuffer());
                    var ip = Ipv4Packet.of(
                            iface.nextIpId(), IpProtocol.UDP, s.src(), s.dst(), u.toBuffer(s.src(), s.dst()));
                    if (s.dst().isBroadcast()) iface.sendFrame(MacAddress.BROADCAST, EtherType.IPV4, ip.toBuffer());
                    else iface.sendIp(IpProtocol.UDP, s.src(), s.dst(), u.toBuffer(s.src(), s.dst()), false, now);
                }
                case DhcpClient.SendArp s ->
                    iface.sendArp(ArpPacket.REQUEST, s.senderIp(), MacAddress.ZERO, s.targetIp(), MacAddress.BROADCAST);
                case DhcpClient.Configured c -> setConfig(Optional.of(c.lease().config()));
                case DhcpClient.Deconfigured d -> {
                    setConfig(Optional.empty());
                    iface.forgetNeighbours();
                }
            }
        }
    }

    // ---------------------------------------------------------------- UDP sockets

    /**
     * Opens a UDP socket on {@code port} (0 picks a free ephemeral port) and {@code local} (ANY for
     * every address). {@link BindException} when the port is taken.
     */
    public UdpSocket openUdp(Ipv4Address local, int port, NetClock clock) throws IOException {
        lock.lock();
        try {
            if (closed) throw new IOException("network stack is closed");
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
            if (port == 0) port = sockets.ephemeral("UDP");
            var list = sockets.udp.get(port);
            if (list != null) {
                for (var s : list) {
                    if (s.localAddress().isAny()
                            || local.isAny()
                            || s.localAddress().equals(local))
                        throw new BindException("UDP port " + port + " is already in use");
                }
            }
            var s = new UdpSocket(this, clock, local, port);
            sockets.udp.computeIfAbsent(port, k -> new ArrayList<>()).add(s);
            return s;
        } finally {
            unlockAndNotify();
        }
    }

    void unbind(UdpSocket s) {
        lock.lock();
        try {
            var list = sockets.udp.get(s.port());
            if (list == null) return;
            list.remove(s);
            if (list.isEmpty()) sockets.udp.remove(s.port());
        } finally {
            unlockAndNotify();
        }
    }

    // ---------------------------------------------------------------- TCP sockets

    /** A TCP socket bound to {@code local}:{@code port} (0: an ephemeral port), not yet connected. */
    public TcpSocket bindTcp(Ipv4Address local, int port) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        lock.lock();
        try {
            if (closed) throw new IOException("network stack is closed");
            int p = sockets.claimTcp(local, port);
            return new TcpSocket(this, local, p, true, null);
        } finally {
            unlockAndNotify();
        }
    }

    /** Opens a connection from an ephemeral port (RFC 9293 3.10.1); {@link TcpSocket#awaitConnected} waits for it. */
    public TcpSocket connectTcp(Ipv4Address remote, int port, NetClock clock) throws IOException {
        var s = bindTcp(Ipv4Address.ANY, 0);
        if (this.clock == null) this.clock = clock;
        s.connect(remote, port);
        return s;
    }

    void connect(TcpSocket s, Ipv4Address remote, int port) throws IOException {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        lock.lock();
        try {
            if (closed) throw new IOException("network stack is closed");
            if (s.connection() != null) throw new java.nio.channels.AlreadyConnectedException();
            var c = iface.config().orElseThrow(() -> new NoRouteToHostException("interface has no IPv4 address yet"));
            if (remote.isAny() || remote.isBroadcast() || remote.isMulticast() || remote.equals(c.subnetBroadcast()))
                throw new ConnectException("cannot connect to " + remote);
            var local = s.localAddress().isAny() ? c.address() : s.localAddress();
            var tuple = new TcpTuple(local, s.localPort(), remote, port);
            if (sockets.tcp.containsKey(tuple)) throw new BindException("connection " + tuple + " already exists");
            long now = Math.max(lastNow, clockNow());
            int mss = device.mtu() - Ipv4Packet.HEADER_LEN - TcpSegment.HEADER_LEN;
            var conn = TcpConnection.connect(tcpConfig, tuple, isns.isn(tuple, now), mss, now);
            offerSegmentation(conn);
            s.connected(conn, local);
            if (s.keepAliveWanted()) conn.setKeepAlive(true, now);
            sockets.tcp.put(tuple, conn);
            tcpActive++;
            kick(conn);
        } finally {
            unlockAndNotify();
        }
    }

    /** Listens on {@code local}:{@code port} (0: an ephemeral port) with room for {@code backlog} connections in each queue. */
    public TcpServerSocket listenTcp(Ipv4Address local, int port, int backlog) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        lock.lock();
        try {
            if (closed) throw new IOException("network stack is closed");
            if (port == 0) port = sockets.ephemeral("TCP");
            var l = new TcpServerSocket(this, new TcpListener(local, port, backlog <= 0 ? 50 : backlog));
            sockets.addListener(l);
            return l;
        } finally {
            unlockAndNotify();
        }
    }

    /** Hands an established connection from a listener's accept queue to the app. */
    TcpSocket accepted(TcpServerSocket ls, TcpConnection c) {
        var s = new TcpSocket(this, c.tuple().localAddress(), c.tuple().localPort(), false, c);
        s.update();
        return s;
    }

    void closeSocket(TcpSocket s, boolean reset) {
        var c = s.connection();
        if (c == null) {
            if (s.holdsPort()) {
                s.releasedPort();
                sockets.releaseTcp(s.localPort());
            }
            return;
        }
        if (reset) c.abort();
        else c.close(lastNow);
        kick(c);
        if (c.isClosed()) removeConnection(c);
    }

    void closeListener(TcpServerSocket l) {
        sockets.removeListener(l);
        for (var c : l.listener.close()) { // never accepted: reset, as Linux does on close of a listener
            c.abort();
            sockets.markDirty(c);
            c.attachment = null;
        }
        try {
            flushTcp(lastNow);
        } catch (IOException e) {
            // the resets are a courtesy
        }
        sockets.tcp.values().removeIf(TcpConnection::isClosed);
    }

    /** Every connection's TCB on a line (diagnostics). */
    public String describeTcp() {
        lock.lock();
        try {
            var b = new StringBuilder();
            for (var c : sockets.tcp.values()) b.append(c.describe(lastNow)).append('\n');
            return b.toString();
        } finally {
            lock.unlock();
        }
    }

    /** How many connections of each state the table holds (diagnostics, tests). */
    public Map<TcpState, Integer> tcpStates() {
        lock.lock();
        try {
            var m = new java.util.EnumMap<TcpState, Integer>(TcpState.class);
            for (var c : sockets.tcp.values()) m.merge(c.state(), 1, Integer::sum);
            return m;
        } finally {
            lock.unlock();
        }
    }

    public StackStats stats() {
        lock.lock();
        try {
            int udpSockets = 0;
            for (var l : sockets.udp.values()) udpSockets += l.size();
            int syn = 0, acc = 0, listeners = 0;
            for (var list : sockets.listeners.values())
                for (var l : list) {
                    listeners++;
                    syn += l.listener.synQueued();
                    acc += l.listener.acceptQueued();
                }
            return new StackStats(
                    iface.linkStats(),
                    iface.arpStats(),
                    iface.ipStats(),
                    new StackStats.Icmp(icmpErrorsIn, icmpDelivered, icmpLimited),
                    new StackStats.Udp(udpSockets, udpNoPort, udpErrors),
                    new StackStats.Tcp(
                            sockets.tcp.size(),
                            sockets.countTimeWait(),
                            listeners,
                            syn,
                            acc,
                            sockets.heldTcpPorts(),
                            sockets.timerCount(),
                            tcpActive,
                            tcpPassive,
                            tcpIn,
                            tcpOut,
                            tcpRetrans,
                            tcpRsts,
                            tcpChallenges,
                            tcpListenDrops,
                            tcpMalformed));
        } finally {
            lock.unlock();
        }
    }

    /** Closes every socket and empties every table; the device is the caller's to close. */
    @Override
    public void close() {
        List<UdpSocket> udp = new ArrayList<>();
        List<TcpSocket> tcp = new ArrayList<>();
        List<TcpServerSocket> listeners = new ArrayList<>();
        lock.lock();
        try {
            if (closed) return;
            for (var l : sockets.udp.values()) udp.addAll(l);
            for (var c : sockets.tcp.values()) if (c.attachment instanceof TcpSocket s) tcp.add(s);
            for (var l : sockets.listeners.values()) listeners.addAll(l);
        } finally {
            unlockAndNotify();
        }
        for (var s : udp) s.close();
        for (var l : listeners) l.close();
        for (var s : tcp) s.close(true);
        lock.lock();
        try {
            closed = true;
            sockets.clear();
            iface.clear();
            dhcp = null;
        } finally {
            unlockAndNotify();
        }
    }
}
