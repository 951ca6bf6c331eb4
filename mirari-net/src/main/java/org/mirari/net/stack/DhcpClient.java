package org.mirari.net.stack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.mirari.net.wire.DhcpMessage;
import org.mirari.net.wire.DhcpOption;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * A DHCP client (RFC 2131) as a pure state machine: it is given messages and the time, and returns
 * what to send and configuration changes; it never reads a clock or touches the network.
 *
 * <p>INIT -> SELECTING (DISCOVER, retried 4, 8, 16, 32, 64 s, each +-1 s, section 4.1) -> REQUESTING
 * (REQUEST for the first OFFER, retried the same way up to 4 times, then back to INIT) -> PROBING on
 * ACK -> BOUND when no other host has the address -> RENEWING at T1 (REQUEST unicast to the server, ciaddr set) -> REBINDING at T2 (REQUEST
 * broadcast) -> back to INIT when the lease expires. Retransmissions while renewing or rebinding
 * wait half the time left to T2 or expiry, at least 60 s (section 4.4.5). A NAK returns to INIT
 * and drops the address. T1 and T2 default to 0.5 and 0.875 of the lease, and are put in order if
 * a server sends them out of order.
 *
 * <p>Before it uses a new address, the client checks that no other host has it (RFC 2131 section
 * 2.2; RFC 5227 section 2.1.1): after a random wait of up to PROBE_WAIT (1 s) it sends PROBE_NUM (3)
 * ARP probes (sender address 0.0.0.0) PROBE_MIN to PROBE_MAX (1-2 s) apart, and waits ANNOUNCE_WAIT
 * (2 s) after the last. Any ARP from another host whose sender is the address, or another host's
 * probe for it, is a conflict: the client sends a DHCPDECLINE (RFC 2131 section 4.4.1) and starts over
 * after 10 s (60 s once MAX_CONFLICTS, 10, have happened: RFC 5227's RATE_LIMIT_INTERVAL). With no
 * conflict it takes the address and announces it with ANNOUNCE_NUM (2) gratuitous ARP requests
 * ANNOUNCE_INTERVAL (2 s) apart (section 2.3). A renewal that keeps the address is not probed again.
 */
public final class DhcpClient {
    public enum State {
        INIT,
        SELECTING,
        REQUESTING,
        PROBING,
        BOUND,
        RENEWING,
        REBINDING
    }

    /** What the client asks its caller to do. */
    public sealed interface Action {}
    /** Send {@code message} from {@code src} (0.0.0.0 before a lease) to {@code dst} (broadcast or the server). */
    public record Send(DhcpMessage message, Ipv4Address src, Ipv4Address dst) implements Action {}

    public record Configured(DhcpLease lease) implements Action {}

    public record Deconfigured(String reason) implements Action {}
    /**
     * Broadcast an ARP request from our MAC with this sender and target address (target MAC zero): a
     * probe when {@code senderIp} is 0.0.0.0, an announcement when both are the address.
     */
    public record SendArp(Ipv4Address senderIp, Ipv4Address targetIp) implements Action {}

    /** RFC 5227 section 1.1's constants, in nanoseconds; tests and links known to be private may pass others. */
    public record ProbeTiming(
            long probeWait,
            int probeNum,
            long probeMin,
            long probeMax,
            long announceWait,
            int announceNum,
            long announceInterval,
            int maxConflicts,
            long rateLimitInterval,
            long declineWait) {
        public static final ProbeTiming RFC_5227 =
                new ProbeTiming(SECOND, 3, SECOND, 2 * SECOND, 2 * SECOND, 2, 2 * SECOND, 10, 60 * SECOND, 10 * SECOND);
    }

    static final long SECOND = 1_000_000_000L;
    private static final int MAX_REQUESTS = 4;
    private static final byte[] PARAMETERS = {
        DhcpOption.SUBNET_MASK,
        DhcpOption.ROUTER,
        DhcpOption.DNS,
        DhcpOption.LEASE_TIME,
        DhcpOption.RENEWAL_TIME,
        DhcpOption.REBINDING_TIME
    };

    private final MacAddress mac;
    private final RandomGenerator random;
    private State state = State.INIT;
    private int xid;
    private int attempt;
    private long nextAt = Long.MAX_VALUE;
    private long startedAt;
    private Ipv4Address offered = Ipv4Address.ANY, server = Ipv4Address.ANY;
    private DhcpLease lease;
    private final ProbeTiming timing;
    private DhcpLease candidate; // acknowledged, being probed (PROBING)
    private int probesSent;
    private int announcesLeft;
    private long announceAt = Long.MAX_VALUE;
    private int conflicts;

    public DhcpClient(MacAddress mac, RandomGenerator random) {
        this(mac, random, ProbeTiming.RFC_5227);
    }

    public DhcpClient(MacAddress mac, RandomGenerator random, ProbeTiming timing) {
        this.mac = mac;
        this.random = random;
        this.timing = timing;
    }

    /** How many probes found the address taken since this client was made. */
    public int conflicts() {
        return conflicts;
    }

    public State state() {
        return state;
    }

    public Optional<DhcpLease> lease() {
        return Optional.ofNullable(lease);
    }

    /** The next time {@link #onTimer} has work, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        if (lease != null && (state == State.BOUND || state == State.RENEWING || state == State.REBINDING)) {
            long t =
                    switch (state) {
                        case BOUND -> lease.renewAt();
                        case RENEWING -> Math.min(nextAt, lease.rebindAt());
                        default -> Math.min(nextAt, lease.expiresAt());
                    };
            return Math.min(t, announceAt);
        }
        return nextAt;
    }

    /** Starts (or restarts) acquisition: sends a DISCOVER. */
    public List<Action> start(long now) {
        var out = new ArrayList<Action>();
        if (lease != null) {
            lease = null;
            out.add(new Deconfigured("restarted"));
        }
        announceAt = Long.MAX_VALUE;
        discover(now, out);
        return out;
    }

    public List<Action> onTimer(long now) {
        var out = new ArrayList<Action>();
        if (announcesLeft > 0 && now - announceAt >= 0 && lease != null) {
            out.add(new SendArp(lease.address(), lease.address()));
            announceAt = --announcesLeft > 0 ? now + timing.announceInterval() : Long.MAX_VALUE;
        }
        switch (state) {
            case INIT -> {
                if (now - nextAt >= 0) discover(now, out);
            } // after a DECLINE's wait
            case PROBING -> {
                if (now - nextAt >= 0) probeTimer(now, out);
            }
            case SELECTING -> {
                if (now - nextAt >= 0) {
                    attempt++;
                    sendDiscover(now, out);
                }
            }
            case REQUESTING -> {
                if (now - nextAt >= 0) {
                    if (attempt + 1 >= MAX_REQUESTS) discover(now, out);
                    else {
                        attempt++;
                        sendRequest(now, out);
                    }
                }
            }
            case BOUND -> {
                if (now - lease.renewAt() >= 0) {
                    state = State.RENEWING;
                    xid = random.nextInt();
                    sendRenew(now, out);
                }
            }
            case RENEWING -> {
                if (now - lease.rebindAt() >= 0) {
                    state = State.REBINDING;
                    xid = random.nextInt();
                    sendRebind(now, out);
                } else if (now - nextAt >= 0) sendRenew(now, out);
            }
            case REBINDING -> {
                if (now - lease.expiresAt() >= 0) {
                    lease = null;
                    announcesLeft = 0;
                    announceAt = Long.MAX_VALUE;
                    out.add(new Deconfigured("lease expired"));
                    discover(now, out);
                } else if (now - nextAt >= 0) sendRebind(now, out);
            }
        }
        return out;
    }

    /** Takes a message that arrived on UDP port 68. Messages for other clients or transactions are ignored. */
    public List<Action> onMessage(DhcpMessage m, long now) {
        var out = new ArrayList<Action>();
        if (m.op() != DhcpMessage.BOOTREPLY || m.xid() != xid || !m.chaddr().equals(mac)) return out;
        int type = m.messageType();
        switch (state) {
            case SELECTING -> {
                if (type == DhcpMessage.OFFER
                        && usable(m.yiaddr())
                        && m.addressOption(DhcpOption.SERVER_ID).isPresent()) {
                    offered = m.yiaddr();
                    server = m.addressOption(DhcpOption.SERVER_ID).get();
                    state = State.REQUESTING;
                    attempt = 0;
                    sendRequest(now, out); // same xid as the offer (RFC 2131 4.4.1)
                }
            }
            case REQUESTING, RENEWING, REBINDING -> {
                if (type == DhcpMessage.ACK) acked(m, now, out);
                else if (type == DhcpMessage.NAK) {
                    if (lease != null) {
                        lease = null;
                        out.add(new Deconfigured("server refused the lease (DHCPNAK)"));
                    }
                    discover(now, out);
                }
            }
            case INIT, PROBING, BOUND -> {}
        }
        return out;
    }

    /**
     * Takes an ARP packet seen on the link. While probing, one from another host whose sender is the
     * address being probed, or another host's probe for it, means the address is taken (RFC 5227
     * section 2.1.1); anything else is ignored.
     */
    public List<Action> onArp(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp, long now) {
        var out = new ArrayList<Action>();
        if (state != State.PROBING || senderMac.equals(mac)) return out;
        var probed = candidate.address();
        boolean taken = senderIp.equals(probed) || (senderIp.isAny() && targetIp.equals(probed));
        if (taken) decline(now, senderMac, out);
        return out;
    }

    private void probeTimer(long now, List<Action> out) {
        if (probesSent < timing.probeNum()) {
            out.add(new SendArp(Ipv4Address.ANY, candidate.address()));
            probesSent++;
            nextAt = now
                    + (probesSent < timing.probeNum()
                            ? timing.probeMin() + random.nextLong(timing.probeMax() - timing.probeMin() + 1)
                            : timing.announceWait());
            return;
        }
        // No conflict by ANNOUNCE_WAIT after the last probe: the address is ours (section 2.1.1).
        lease = candidate;
        candidate = null;
        state = State.BOUND;
        nextAt = Long.MAX_VALUE;
        out.add(new SendArp(lease.address(), lease.address()));
        announcesLeft = timing.announceNum() - 1;
        announceAt = announcesLeft > 0 ? now + timing.announceInterval() : Long.MAX_VALUE;
        out.add(new Configured(lease));
    }

    private void decline(long now, MacAddress holder, List<Action> out) {
        conflicts++;
        // RFC 2131 4.4.1 and table 5: DHCPDECLINE, broadcast, ciaddr 0, with the address and the server.
        var opts = baseOptions(DhcpMessage.DECLINE);
        opts.removeIf(o -> o.code() == DhcpOption.PARAMETER_LIST || o.code() == DhcpOption.MAX_MESSAGE_SIZE);
        opts.add(DhcpOption.ofAddress(DhcpOption.REQUESTED_IP, candidate.address()));
        opts.add(DhcpOption.ofAddress(DhcpOption.SERVER_ID, candidate.server()));
        opts.add(new DhcpOption(
                DhcpOption.MESSAGE,
                ("address in use by " + holder).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        out.add(new Send(message(Ipv4Address.ANY, now, opts), Ipv4Address.ANY, Ipv4Address.BROADCAST));
        candidate = null;
        state = State.INIT;
        nextAt = now + (conflicts >= timing.maxConflicts() ? timing.rateLimitInterval() : timing.declineWait());
    }

    private static boolean usable(Ipv4Address a) {
        return !a.isAny() && !a.isBroadcast() && !a.isMulticast();
    }

    private void acked(DhcpMessage m, long now, List<Action> out) {
        var mask = m.addressOption(DhcpOption.SUBNET_MASK);
        var leaseSecs = m.secondsOption(DhcpOption.LEASE_TIME);
        if (!usable(m.yiaddr()) || mask.isEmpty() || mask.get().prefixLength() < 0 || leaseSecs.isEmpty())
            return; // unusable ACK
        long secs = leaseSecs.get();
        long t1 = m.secondsOption(DhcpOption.RENEWAL_TIME).orElse(secs / 2);
        long t2 = m.secondsOption(DhcpOption.REBINDING_TIME).orElse(secs * 7 / 8);
        if (!(t1 < t2 && t2 < secs)) {
            t1 = secs / 2;
            t2 = secs * 7 / 8;
        }
        var srv = m.addressOption(DhcpOption.SERVER_ID).orElse(server);
        var router = m.addressOption(DhcpOption.ROUTER).filter(DhcpClient::usable);
        var dns = new ArrayList<Ipv4Address>();
        m.option(DhcpOption.DNS).ifPresent(o -> {
            var b = ByteBuffer.wrap(o.data());
            while (b.remaining() >= 4) {
                var a = new Ipv4Address(b.getInt());
                if (usable(a)) dns.add(a);
            }
        });
        // Times count from when the request went out (RFC 2131 4.4.1); the ACK's arrival is close enough.
        var acked = new DhcpLease(
                m.yiaddr(),
                mask.get(),
                router,
                dns,
                srv,
                secs,
                now + t1 * SECOND,
                now + t2 * SECOND,
                now + secs * SECOND);
        server = srv;
        if (lease == null || !lease.address().equals(acked.address())) {
            // A new address: probe it before use (RFC 2131 2.2, RFC 5227 2.1). The first probe waits
            // a random time of up to PROBE_WAIT, so hosts that start together do not probe in step.
            if (lease != null) out.add(new Deconfigured("the server gave another address"));
            lease = null;
            candidate = acked;
            state = State.PROBING;
            probesSent = 0;
            nextAt = now + random.nextLong(timing.probeWait() + 1);
            return;
        }
        lease = acked;
        state = State.BOUND;
        nextAt = Long.MAX_VALUE;
        out.add(new Configured(lease)); // on renewal: the caller re-applies the same address
    }

    private void discover(long now, List<Action> out) {
        state = State.SELECTING;
        attempt = 0;
        startedAt = now;
        offered = Ipv4Address.ANY;
        sendDiscover(now, out);
    }

    private void sendDiscover(long now, List<Action> out) {
        xid = random.nextInt(); // a new transaction each attempt, as smoltcp and Linux clients do
        var opts = baseOptions(DhcpMessage.DISCOVER);
        out.add(new Send(message(Ipv4Address.ANY, now, opts), Ipv4Address.ANY, Ipv4Address.BROADCAST));
        nextAt = now + backoff(attempt);
    }

    private void sendRequest(long now, List<Action> out) {
        var opts = baseOptions(DhcpMessage.REQUEST);
        opts.add(DhcpOption.ofAddress(DhcpOption.REQUESTED_IP, offered));
        opts.add(DhcpOption.ofAddress(DhcpOption.SERVER_ID, server));
        out.add(new Send(message(Ipv4Address.ANY, now, opts), Ipv4Address.ANY, Ipv4Address.BROADCAST));
        nextAt = now + backoff(attempt);
    }

    private void sendRenew(long now, List<Action> out) {
        // RENEWING: ciaddr set, no requested-IP or server-id options, unicast to the server (table 5)
        out.add(new Send(
                message(lease.address(), now, baseOptions(DhcpMessage.REQUEST)), lease.address(), lease.server()));
        nextAt = now + Math.max(60 * SECOND, (lease.rebindAt() - now) / 2);
    }

    private void sendRebind(long now, List<Action> out) {
        out.add(new Send(
                message(lease.address(), now, baseOptions(DhcpMessage.REQUEST)),
                lease.address(),
                Ipv4Address.BROADCAST));
        nextAt = now + Math.max(60 * SECOND, (lease.expiresAt() - now) / 2);
    }

    private long backoff(int attempt) {
        long base = Math.min(64, 4L << Math.min(attempt, 4)) * SECOND;
        return base + random.nextLong(-SECOND, SECOND + 1);
    }

    private List<DhcpOption> baseOptions(int type) {
        var opts = new ArrayList<DhcpOption>();
        opts.add(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type));
        byte[] id = new byte[7];
        id[0] = 1; // hardware type Ethernet, then the MAC (RFC 2132 9.14)
        System.arraycopy(mac.toBytes(), 0, id, 1, 6);
        opts.add(new DhcpOption(DhcpOption.CLIENT_ID, id));
        opts.add(new DhcpOption(DhcpOption.MAX_MESSAGE_SIZE, new byte[] {0x05, (byte) 0xdc})); // 1500
        opts.add(new DhcpOption(DhcpOption.PARAMETER_LIST, PARAMETERS));
        return opts;
    }

    private DhcpMessage message(Ipv4Address ciaddr, long now, List<DhcpOption> opts) {
        int secs = (int) Math.min(0xffff, Math.max(0, (now - startedAt) / SECOND));
        return new DhcpMessage(
                DhcpMessage.BOOTREQUEST,
                xid,
                secs,
                false,
                ciaddr,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                mac,
                opts);
    }
}
