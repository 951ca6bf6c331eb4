package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirari.net.device.FaultInjector;
import org.mirari.net.device.Faults;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * Two complete stacks over the virtual switch, each receiving through a seeded fault injector, on
 * one virtual clock: what arrives is byte-exact, and closing leaves nothing behind.
 */
class TwoStacksTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.2"), B = Ipv4Address.parse("10.0.0.3");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void udpArrivesIntactThroughLossDuplicationReorderingAndCorruption(long seed) throws Exception {
        var clock = new VirtualClock();
        var sw = new VirtualSwitch();
        var faults = new Faults(0.1, 0.05, 0.1, 0.05, 2_000_000, 5_000_000);
        var devA = new FaultInjector(sw.port(MacAddress.parse("02:00:00:00:00:0a")), faults, clock, new Random(seed));
        var devB = new FaultInjector(
                sw.port(MacAddress.parse("02:00:00:00:00:0b")), faults, clock, new Random(seed + 100));
        var a = new NetStack(devA, new Random(seed));
        var b = new NetStack(devB, new Random(seed + 1));
        a.configure(new Ipv4Config(A, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        b.configure(new Ipv4Config(B, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        var sa = a.openUdp(Ipv4Address.ANY, 0, clock);
        var sb = b.openUdp(Ipv4Address.ANY, 7, clock);

        var rnd = new Random(seed);
        Map<Integer, byte[]> sent = new HashMap<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            int size = i % 10 == 0 ? 2000 + rnd.nextInt(3000) : 4 + rnd.nextInt(600); // some fragmented
            byte[] msg = new byte[size];
            rnd.nextBytes(msg);
            ByteBuffer.wrap(msg).putInt(i);
            sent.put(i, msg);
            sa.send(B, 7, ByteBuffer.wrap(msg));
            for (int t = 0; t < 5; t++) {
                clock.advanceMillis(1);
                a.poll(clock.nanos());
                b.poll(clock.nanos());
            }
        }
        for (int t = 0; t < 40_000; t++) { // let retries and held frames play out
            clock.advanceMillis(1);
            a.poll(clock.nanos());
            b.poll(clock.nanos());
        }
        Map<Integer, Integer> seen = new HashMap<>();
        UdpSocket.Datagram d;
        while ((d = sb.poll()) != null) {
            byte[] got = new byte[d.payload().remaining()];
            d.payload().get(got);
            int id = ByteBuffer.wrap(got).getInt();
            assertThat(sent).containsKey(id);
            assertThat(got).as("datagram %d", id).isEqualTo(sent.get(id));
            assertThat(d.srcAddress()).isEqualTo(A);
            assertThat(d.srcPort()).isEqualTo(sa.port());
            seen.merge(id, 1, Integer::sum);
        }
        // most get through a 10 % lossy link; duplicates may appear (UDP does not dedupe); none corrupted
        assertThat(seen.size()).as("delivered of %d (%s)", n, devB.stats()).isGreaterThan(n * 6 / 10);
        assertThat(devB.stats()).contains("corrupted=");
        assertThat(b.stats().malformed()).isPositive(); // corruption was caught by checksums, not delivered

        sa.close();
        sb.close();
        a.close();
        b.close();
        for (var s : new NetStack[] {a, b}) {
            var st = s.stats();
            assertThat(st.udpSockets()).isZero();
            assertThat(st.arpEntries()).isZero();
            assertThat(st.arpQueued()).isZero();
            assertThat(st.reassembling()).isZero();
            assertThat(s.nextDeadline()).isEqualTo(Long.MAX_VALUE); // no timers left
        }
    }

    @Test
    void cleanLinkDeliversEverythingInOrder() throws Exception {
        var clock = new VirtualClock();
        var sw = new VirtualSwitch();
        var a = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:0a")), new Random(5));
        var b = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:0b")), new Random(6));
        a.configure(new Ipv4Config(A, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        b.configure(new Ipv4Config(B, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        var sa = a.openUdp(Ipv4Address.ANY, 1000, clock);
        var sb = b.openUdp(Ipv4Address.ANY, 7, clock);
        for (int i = 0; i < 100; i++) {
            sa.send(B, 7, ByteBuffer.wrap(("m" + i).getBytes()));
            b.poll(clock.nanos());
            a.poll(clock.nanos());
        }
        b.poll(clock.nanos());
        for (int i = 0; i < 100; i++) assertThat(Peer.text(sb.poll().payload())).isEqualTo("m" + i);
        assertThat(sb.poll()).isNull();
    }
}
