package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.stack.DhcpClient.Action;
import org.mirari.net.stack.DhcpClient.Configured;
import org.mirari.net.stack.DhcpClient.Deconfigured;
import org.mirari.net.stack.DhcpClient.Send;
import org.mirari.net.wire.*;

/** The DHCP client as a script on virtual time (RFC 2131): acquisition, retries, renew, rebind, NAK, expiry. */
class DhcpClientTest {
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1"), OFFERED = Ipv4Address.parse("10.0.0.42");
    static final long S = 1_000_000_000L;
    long now = 5_000 * S;
    final DhcpClient client = new DhcpClient(MAC, new Random(7));

    static Send only(List<Action> actions) {
        assertThat(actions).hasSize(1);
        assertThat(actions.get(0)).isInstanceOf(Send.class);
        return (Send) actions.get(0);
    }

    static DhcpMessage reply(DhcpMessage request, int type, long lease, long t1, long t2) {
        var opts = new ArrayList<DhcpOption>();
        opts.add(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type));
        opts.add(DhcpOption.ofAddress(DhcpOption.SERVER_ID, SERVER));
        if (type != DhcpMessage.NAK) {
            opts.add(DhcpOption.ofInt(DhcpOption.LEASE_TIME, (int) lease));
            if (t1 > 0) opts.add(DhcpOption.ofInt(DhcpOption.RENEWAL_TIME, (int) t1));
            if (t2 > 0) opts.add(DhcpOption.ofInt(DhcpOption.REBINDING_TIME, (int) t2));
            opts.add(DhcpOption.ofAddress(DhcpOption.SUBNET_MASK, Ipv4Address.netmask(24)));
            opts.add(DhcpOption.ofAddress(DhcpOption.ROUTER, SERVER));
        }
        return new DhcpMessage(
                DhcpMessage.BOOTREPLY,
                request.xid(),
                0,
                false,
                Ipv4Address.ANY,
                type == DhcpMessage.NAK ? Ipv4Address.ANY : OFFERED,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                MAC,
                opts);
    }

    /** Runs discover/offer/request/ack; returns the lease. */
    DhcpLease bind(long lease, long t1, long t2) {
        var discover = only(client.start(now));
        assertThat(discover.message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(discover.dst()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(discover.src()).isEqualTo(Ipv4Address.ANY);
        var request = only(client.onMessage(reply(discover.message(), DhcpMessage.OFFER, lease, t1, t2), now));
        assertThat(request.message().messageType()).isEqualTo(DhcpMessage.REQUEST);
        assertThat(request.message().xid()).isEqualTo(discover.message().xid());
        assertThat(request.message().addressOption(DhcpOption.REQUESTED_IP)).contains(OFFERED);
        assertThat(request.message().addressOption(DhcpOption.SERVER_ID)).contains(SERVER);
        assertThat(client.state()).isEqualTo(DhcpClient.State.REQUESTING);
        assertThat(client.onMessage(reply(request.message(), DhcpMessage.ACK, lease, t1, t2), now))
                .isEmpty();
        assertThat(client.state()).isEqualTo(DhcpClient.State.PROBING);
        var bound = probeUnopposed(client, now);
        assertThat(client.state()).isEqualTo(DhcpClient.State.BOUND);
        return bound;
    }

    /**
     * Runs the client's ARP probing of {@link #OFFERED} (RFC 5227) to the end with no one answering,
     * on a time of its own (the test's {@code now} stays at the ACK), through both announcements.
     */
    static DhcpLease probeUnopposed(DhcpClient client, long ackAt) {
        DhcpLease bound = null;
        int arps = 0;
        while (arps < 5) {
            long t = client.nextDeadline();
            assertThat(t - ackAt)
                    .as("probing and announcing take at most 1 + 2 + 2 + 2 + 2 s")
                    .isLessThanOrEqualTo(9 * S);
            for (var a : client.onTimer(t)) {
                switch (a) {
                    case DhcpClient.SendArp arp -> arps++;
                    case Configured c -> bound = c.lease();
                    default -> throw new AssertionError(a);
                }
            }
        }
        assertThat(bound).isNotNull();
        return bound;
    }

    @Test
    void acquiresALease() {
        var lease = bind(120, 0, 0);
        assertThat(lease.address()).isEqualTo(OFFERED);
        assertThat(lease.config())
                .isEqualTo(new Ipv4Config(OFFERED, Ipv4Address.netmask(24), java.util.Optional.of(SERVER)));
        assertThat(lease.renewAt()).isEqualTo(now + 60 * S); // T1 = 0.5 lease by default
        assertThat(lease.rebindAt()).isEqualTo(now + 105 * S); // T2 = 0.875 lease
        assertThat(lease.expiresAt()).isEqualTo(now + 120 * S);
        assertThat(client.nextDeadline()).isEqualTo(lease.renewAt());
    }

    @Test
    void discoverIsRetriedWithExponentialBackoffAndANewXid() {
        var first = only(client.start(now));
        long[] expected = {4, 8, 16, 32, 64, 64};
        int lastXid = first.message().xid();
        for (long base : expected) {
            long wait = client.nextDeadline() - now;
            assertThat(wait).isBetween((base - 1) * S, (base + 1) * S);
            assertThat(client.onTimer(now + wait - 1)).isEmpty();
            now += wait;
            var again = only(client.onTimer(now));
            assertThat(again.message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
            assertThat(again.message().xid()).isNotEqualTo(lastXid);
            lastXid = again.message().xid();
        }
    }

    @Test
    void ignoresRepliesForOtherTransactions() {
        var discover = only(client.start(now));
        var offer = reply(discover.message(), DhcpMessage.OFFER, 120, 0, 0);
        var wrongXid = new DhcpMessage(
                offer.op(),
                offer.xid() + 1,
                0,
                false,
                offer.ciaddr(),
                offer.yiaddr(),
                offer.siaddr(),
                offer.giaddr(),
                offer.chaddr(),
                offer.options());
        assertThat(client.onMessage(wrongXid, now)).isEmpty();
        assertThat(client.state()).isEqualTo(DhcpClient.State.SELECTING);
    }

    @Test
    void requestIsRetriedThenAcquisitionRestarts() {
        var discover = only(client.start(now));
        only(client.onMessage(reply(discover.message(), DhcpMessage.OFFER, 120, 0, 0), now));
        for (int i = 0; i < 3; i++) {
            now = client.nextDeadline();
            assertThat(only(client.onTimer(now)).message().messageType()).isEqualTo(DhcpMessage.REQUEST);
        }
        now = client.nextDeadline();
        assertThat(only(client.onTimer(now)).message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(client.state()).isEqualTo(DhcpClient.State.SELECTING);
    }

    @Test
    void renewsAtT1UnicastAndStaysBound() {
        var lease = bind(120, 60, 105);
        now = lease.renewAt();
        var renew = only(client.onTimer(now));
        assertThat(client.state()).isEqualTo(DhcpClient.State.RENEWING);
        assertThat(renew.dst()).isEqualTo(SERVER);
        assertThat(renew.src()).isEqualTo(OFFERED);
        assertThat(renew.message().ciaddr()).isEqualTo(OFFERED);
        assertThat(renew.message().addressOption(DhcpOption.REQUESTED_IP)).isEmpty(); // RFC 2131 table 5
        assertThat(renew.message().addressOption(DhcpOption.SERVER_ID)).isEmpty();
        now += 2 * S;
        var acts = client.onMessage(reply(renew.message(), DhcpMessage.ACK, 120, 60, 105), now);
        assertThat(acts).hasSize(1).first().isInstanceOf(Configured.class);
        assertThat(((Configured) acts.get(0)).lease().expiresAt()).isEqualTo(now + 120 * S);
        assertThat(client.state()).isEqualTo(DhcpClient.State.BOUND);
    }

    @Test
    void rebindsAtT2BroadcastThenLosesTheAddressAtExpiry() {
        var lease = bind(1000, 500, 875);
        now = lease.renewAt();
        only(client.onTimer(now));
        // RENEWING retransmits after max(60 s, half the time to T2)
        assertThat(client.nextDeadline()).isEqualTo(now + 187_500_000_000L);
        // then at 781.25 s (half of 187.5 s) and 841.25 s (the 60 s floor); the next would pass T2
        var renewals = new ArrayList<Long>();
        while (client.nextDeadline() < lease.rebindAt()) {
            now = client.nextDeadline();
            assertThat(only(client.onTimer(now)).dst()).isEqualTo(SERVER);
            renewals.add((now - lease.renewAt() + 500 * S) / 10_000_000L);
        }
        assertThat(renewals).containsExactly(68_750L, 78_125L, 84_125L); // in 10 ms units since the lease began
        now = lease.rebindAt();
        var rebind = only(client.onTimer(now));
        assertThat(client.state()).isEqualTo(DhcpClient.State.REBINDING);
        assertThat(rebind.dst()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(rebind.message().ciaddr()).isEqualTo(OFFERED);
        now = client.nextDeadline(); // at least 60 s later
        assertThat(now - lease.rebindAt()).isEqualTo(62_500_000_000L);
        assertThat(only(client.onTimer(now)).dst()).isEqualTo(Ipv4Address.BROADCAST);
        now = lease.expiresAt();
        var acts = client.onTimer(now);
        assertThat(acts).hasSize(2);
        assertThat(acts.get(0)).isEqualTo(new Deconfigured("lease expired"));
        assertThat(((Send) acts.get(1)).message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(client.lease()).isEmpty();
    }

    @Test
    void nakWhileRenewingDropsTheAddressAndStartsOver() {
        var lease = bind(120, 0, 0);
        now = lease.renewAt();
        var renew = only(client.onTimer(now));
        var acts = client.onMessage(reply(renew.message(), DhcpMessage.NAK, 0, 0, 0), now);
        assertThat(acts.get(0)).isEqualTo(new Deconfigured("server refused the lease (DHCPNAK)"));
        assertThat(((Send) acts.get(1)).message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(client.state()).isEqualTo(DhcpClient.State.SELECTING);
    }

    @Test
    void nakWhileRequestingStartsOver() {
        var discover = only(client.start(now));
        var req = only(client.onMessage(reply(discover.message(), DhcpMessage.OFFER, 120, 0, 0), now));
        var acts = client.onMessage(reply(req.message(), DhcpMessage.NAK, 0, 0, 0), now);
        assertThat(only(acts).message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
    }

    @Test
    void outOfOrderT1T2FallBackToDefaults() {
        var lease = bind(100, 90, 30);
        assertThat(lease.renewAt()).isEqualTo(now + 50 * S);
        assertThat(lease.rebindAt()).isEqualTo(now + 87 * S);
    }

    @Test
    void ackWithoutNetmaskIsIgnored() {
        var discover = only(client.start(now));
        var req = only(client.onMessage(reply(discover.message(), DhcpMessage.OFFER, 120, 0, 0), now));
        var ack = reply(req.message(), DhcpMessage.ACK, 120, 0, 0);
        var noMask = new DhcpMessage(
                ack.op(),
                ack.xid(),
                0,
                false,
                ack.ciaddr(),
                ack.yiaddr(),
                ack.siaddr(),
                ack.giaddr(),
                ack.chaddr(),
                ack.options().stream()
                        .filter(o -> o.code() != DhcpOption.SUBNET_MASK)
                        .toList());
        assertThat(client.onMessage(noMask, now)).isEmpty();
        assertThat(client.state()).isEqualTo(DhcpClient.State.REQUESTING);
    }
}
