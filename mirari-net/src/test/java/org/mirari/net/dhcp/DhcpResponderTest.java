package org.mirari.net.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.stack.DhcpClient;
import org.mirari.net.stack.Ipv4Config;
import org.mirari.net.wire.DhcpMessage;
import org.mirari.net.wire.DhcpOption;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

class DhcpResponderTest {
    static final MacAddress APP = MacAddress.parse("02:00:00:00:00:02");
    static final Ipv4Address HOST = Ipv4Address.parse("10.0.0.1"), ADDR = Ipv4Address.parse("10.0.0.2");
    final DhcpResponder responder = new DhcpResponder(HOST, APP, ADDR, Ipv4Address.netmask(24), Optional.of(HOST), 60);

    static DhcpMessage request(MacAddress mac, int type, Ipv4Address ciaddr, List<DhcpOption> extra) {
        var opts = new java.util.ArrayList<DhcpOption>();
        opts.add(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type));
        opts.addAll(extra);
        return new DhcpMessage(
                DhcpMessage.BOOTREQUEST,
                99,
                0,
                false,
                ciaddr,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                mac,
                opts);
    }

    @Test
    void ourDhcpClientGetsTheAddressAndRenewsIt() {
        var client = new DhcpClient(APP, new Random(3));
        long now = 0;
        var pending = new java.util.ArrayDeque<DhcpClient.Action>(client.start(now));
        Ipv4Config config = null;
        int exchanged = 0;
        int probes = 0;
        while (config == null && exchanged < 10 && probes < 10) {
            if (pending.isEmpty()) { // the client probes the address on its timer (RFC 5227); no one answers
                now = client.nextDeadline();
                pending.addAll(client.onTimer(now));
            }
            switch (pending.poll()) {
                case DhcpClient.Send s -> {
                    exchanged++;
                    long at = now;
                    responder.answer(s.message()).ifPresent(r -> pending.addAll(client.onMessage(r, at)));
                }
                case DhcpClient.SendArp a -> probes++;
                case DhcpClient.Configured c -> config = c.lease().config();
                case DhcpClient.Deconfigured d -> throw new AssertionError(d);
                case null -> throw new AssertionError("the client has nothing to do");
            }
        }
        assertThat(config).isEqualTo(new Ipv4Config(ADDR, Ipv4Address.netmask(24), Optional.of(HOST)));
        assertThat(exchanged).isEqualTo(2); // DISCOVER, REQUEST
        assertThat(probes).isEqualTo(4); // three probes, the first announcement
        // the second announcement, ANNOUNCE_INTERVAL after the first
        assertThat(client.onTimer(client.nextDeadline())).singleElement().isInstanceOf(DhcpClient.SendArp.class);
        now = client.lease().orElseThrow().renewAt();
        var renew = (DhcpClient.Send) client.onTimer(now).get(0);
        var ack = responder.answer(renew.message()).orElseThrow();
        assertThat(ack.messageType()).isEqualTo(DhcpMessage.ACK);
        assertThat(client.onMessage(ack, now)).singleElement().isInstanceOf(DhcpClient.Configured.class);
        assertThat(client.lease().orElseThrow().expiresAt()).isEqualTo(now + 60_000_000_000L);
    }

    @Test
    void offersTheOneAddressWithItsOptions() {
        var offer = responder
                .answer(request(APP, DhcpMessage.DISCOVER, Ipv4Address.ANY, List.of()))
                .orElseThrow();
        assertThat(offer.messageType()).isEqualTo(DhcpMessage.OFFER);
        assertThat(offer.xid()).isEqualTo(99);
        assertThat(offer.yiaddr()).isEqualTo(ADDR);
        assertThat(offer.addressOption(DhcpOption.SERVER_ID)).contains(HOST);
        assertThat(offer.addressOption(DhcpOption.ROUTER)).contains(HOST);
        assertThat(offer.secondsOption(DhcpOption.LEASE_TIME)).contains(60L);
        assertThat(responder.subnetBroadcast()).isEqualTo(Ipv4Address.parse("10.0.0.255"));
    }

    @Test
    void naksOtherAddressesAndIgnoresOtherClientsAndServers() {
        var wrong = responder
                .answer(request(
                        APP,
                        DhcpMessage.REQUEST,
                        Ipv4Address.ANY,
                        List.of(DhcpOption.ofAddress(DhcpOption.REQUESTED_IP, Ipv4Address.parse("10.0.0.77")))))
                .orElseThrow();
        assertThat(wrong.messageType()).isEqualTo(DhcpMessage.NAK);
        assertThat(wrong.yiaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(responder.answer(request(
                        MacAddress.parse("02:00:00:00:00:99"), DhcpMessage.DISCOVER, Ipv4Address.ANY, List.of())))
                .isEmpty();
        assertThat(responder.answer(request(
                        APP,
                        DhcpMessage.REQUEST,
                        Ipv4Address.ANY,
                        List.of(DhcpOption.ofAddress(DhcpOption.SERVER_ID, Ipv4Address.parse("10.0.0.254"))))))
                .isEmpty();
        assertThat(responder.answer(request(APP, DhcpMessage.RELEASE, ADDR, List.of())))
                .isEmpty();
        // renewing: no options, ciaddr set
        assertThat(responder
                        .answer(request(APP, DhcpMessage.REQUEST, ADDR, List.of()))
                        .orElseThrow()
                        .messageType())
                .isEqualTo(DhcpMessage.ACK);
    }
}
