package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirari.net.stack.DhcpClientTest.MAC;
import static org.mirari.net.stack.DhcpClientTest.OFFERED;
import static org.mirari.net.stack.DhcpClientTest.S;
import static org.mirari.net.stack.DhcpClientTest.SERVER;
import static org.mirari.net.stack.DhcpClientTest.only;
import static org.mirari.net.stack.DhcpClientTest.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.stack.DhcpClient.Action;
import org.mirari.net.stack.DhcpClient.Configured;
import org.mirari.net.stack.DhcpClient.SendArp;
import org.mirari.net.wire.DhcpMessage;
import org.mirari.net.wire.DhcpOption;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/** The DHCP client's address conflict detection (RFC 5227 section 2.1; RFC 2131 sections 2.2 and 4.4.1) on virtual time. */
class DhcpProbeTest {
    static final MacAddress OTHER = MacAddress.parse("02:00:00:00:00:99");
    long now = 7_000 * S;
    final DhcpClient client = new DhcpClient(MAC, new Random(11));

    /** DISCOVER, OFFER, REQUEST, ACK: the client is then probing. */
    void acknowledge() {
        var discover = only(client.start(now));
        var request = only(client.onMessage(reply(discover.message(), DhcpMessage.OFFER, 120, 0, 0), now));
        assertThat(client.onMessage(reply(request.message(), DhcpMessage.ACK, 120, 0, 0), now))
                .isEmpty();
        assertThat(client.state()).isEqualTo(DhcpClient.State.PROBING);
        assertThat(client.lease()).as("no address before the probes").isEmpty();
    }

    /** Advances to the next deadline and returns what the client does then. */
    List<Action> tick() {
        now = client.nextDeadline();
        return client.onTimer(now);
    }

    @Test
    void threeProbesWithTheRfcTimingsThenTwoAnnouncementsAndTheAddress() {
        acknowledge();
        long ack = now;
        var probeTimes = new ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            assertThat(client.onTimer(client.nextDeadline() - 1)).isEmpty();
            assertThat(tick()).containsExactly(new SendArp(Ipv4Address.ANY, OFFERED)); // sender 0.0.0.0 (section 2.1.1)
            probeTimes.add(now);
        }
        assertThat(probeTimes.get(0) - ack).as("PROBE_WAIT").isBetween(0L, S);
        assertThat(probeTimes.get(1) - probeTimes.get(0))
                .as("PROBE_MIN..PROBE_MAX")
                .isBetween(S, 2 * S);
        assertThat(probeTimes.get(2) - probeTimes.get(1))
                .as("PROBE_MIN..PROBE_MAX")
                .isBetween(S, 2 * S);
        var claimed = tick();
        assertThat(now - probeTimes.get(2)).as("ANNOUNCE_WAIT").isEqualTo(2 * S);
        assertThat(claimed).hasSize(2);
        assertThat(claimed.get(0)).isEqualTo(new SendArp(OFFERED, OFFERED)); // an announcement (section 2.3)
        assertThat(((Configured) claimed.get(1)).lease().address()).isEqualTo(OFFERED);
        assertThat(client.state()).isEqualTo(DhcpClient.State.BOUND);
        long first = now;
        assertThat(tick()).containsExactly(new SendArp(OFFERED, OFFERED));
        assertThat(now - first).as("ANNOUNCE_INTERVAL").isEqualTo(2 * S);
        // then nothing until T1
        assertThat(client.nextDeadline()).isEqualTo(client.lease().orElseThrow().renewAt());
    }

    @Test
    void aReplyFromTheAddressDeclinesItAndStartsOverTenSecondsLater() {
        acknowledge();
        assertThat(tick()).containsExactly(new SendArp(Ipv4Address.ANY, OFFERED));
        // Linux answers a probe for its own address with a reply whose sender is that address.
        var acts = client.onArp(OTHER, OFFERED, Ipv4Address.ANY, now);
        var decline = only(acts);
        var m = decline.message();
        assertThat(m.messageType()).isEqualTo(DhcpMessage.DECLINE);
        assertThat(decline.src()).isEqualTo(Ipv4Address.ANY);
        assertThat(decline.dst()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(m.ciaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(m.addressOption(DhcpOption.REQUESTED_IP)).contains(OFFERED);
        assertThat(m.addressOption(DhcpOption.SERVER_ID)).contains(SERVER);
        assertThat(m.option(DhcpOption.PARAMETER_LIST)).isEmpty(); // RFC 2131 table 5: MUST NOT
        assertThat(client.state()).isEqualTo(DhcpClient.State.INIT);
        assertThat(client.lease()).isEmpty();
        assertThat(client.conflicts()).isEqualTo(1);
        assertThat(client.nextDeadline() - now).isEqualTo(10 * S);
        assertThat(client.onTimer(now + 10 * S - 1)).isEmpty();
        assertThat(only(tick()).message().messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(client.state()).isEqualTo(DhcpClient.State.SELECTING);
    }

    @Test
    void anotherHostProbingForTheAddressIsAConflictButOurOwnProbeAndOtherTrafficAreNot() {
        acknowledge();
        assertThat(client.onArp(MAC, Ipv4Address.ANY, OFFERED, now))
                .as("our own probe, echoed")
                .isEmpty();
        assertThat(client.onArp(OTHER, Ipv4Address.parse("10.0.0.9"), Ipv4Address.parse("10.0.0.1"), now))
                .isEmpty();
        assertThat(client.onArp(OTHER, Ipv4Address.ANY, Ipv4Address.parse("10.0.0.43"), now))
                .isEmpty();
        assertThat(client.state()).isEqualTo(DhcpClient.State.PROBING);
        var decline = only(client.onArp(OTHER, Ipv4Address.ANY, OFFERED, now));
        assertThat(decline.message().messageType()).isEqualTo(DhcpMessage.DECLINE);
    }

    @Test
    void afterTenConflictsAttemptsAreRateLimitedToOneAMinute() {
        for (int i = 1; i <= 10; i++) {
            acknowledge();
            only(client.onArp(OTHER, OFFERED, OFFERED, now)); // a gratuitous ARP from the holder
            assertThat(client.nextDeadline() - now).as("conflict %d", i).isEqualTo(i < 10 ? 10 * S : 60 * S);
            now = client.nextDeadline();
            only(client.onTimer(now));
        }
    }

    @Test
    void aRenewalThatKeepsTheAddressIsNotProbedAgainAndArpIsIgnoredOnceBound() {
        acknowledge();
        var lease = DhcpClientTest.probeUnopposed(client, now);
        assertThat(client.onArp(OTHER, OFFERED, OFFERED, lease.renewAt())).isEmpty();
        now = lease.renewAt();
        var renew = only(client.onTimer(now));
        var acts = client.onMessage(reply(renew.message(), DhcpMessage.ACK, 120, 0, 0), now);
        assertThat(acts).singleElement().isInstanceOf(Configured.class);
    }
}
