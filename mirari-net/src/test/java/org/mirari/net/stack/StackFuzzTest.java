package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.stack.tcp.TcpConfig;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.TcpOptions;
import org.mirari.net.wire.TcpSegment;

/**
 * Arbitrary frames, well-formed TCP segments with arbitrary fields, time jumps and app calls,
 * fed to a whole stack that has a listener and a connection: no exception escapes and every
 * table stays within its bounds.
 */
class StackFuzzTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.2"),
            B = Ipv4Address.parse("10.0.0.3"),
            C = Ipv4Address.parse("10.0.0.4");
    static final int BACKLOG = 4;

    @FuzzTest(maxDuration = "30s")
    void framesNeverBreakTheStack(FuzzedDataProvider data) throws Exception {
        var clock = new VirtualClock();
        var sw = new VirtualSwitch();
        var a = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:0a")), new Random(1));
        var b = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:0b")), new Random(2));
        var fuzzer = new Peer(sw.port(MacAddress.parse("02:00:00:00:00:0c")), C);
        a.setClock(clock);
        b.setClock(clock);
        a.setTcpConfig(TcpConfig.DEFAULT.withBuffers(8192, 8192));
        a.configure(new Ipv4Config(A, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        b.configure(new Ipv4Config(B, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        var server = a.listenTcp(Ipv4Address.ANY, 80, BACKLOG);
        var client = b.connectTcp(A, 80, clock);
        for (int i = 0; i < 10; i++) {
            a.poll(clock.nanos());
            b.poll(clock.nanos());
            clock.advanceMillis(1);
        }
        var accepted = server.accept(0);
        int clientPort = client.localPort();
        var buf = ByteBuffer.allocate(4096);
        while (data.remainingBytes() > 0) {
            switch (data.consumeInt(0, 4)) {
                case 0 -> { // any frame to the stack's MAC
                    var f = ByteBuffer.wrap(data.consumeBytes(1514));
                    if (f.remaining() >= EthernetFrame.HEADER_LEN) {
                        a.mac().write(f, EthernetFrame.DST);
                        fuzzer.port.send(f);
                    }
                }
                case 1 -> { // a checksummed TCP segment with fuzzed fields, to a listening or connected port
                    var src = data.consumeBoolean() ? B : C;
                    int sport = data.consumeBoolean() ? clientPort : data.consumeInt(1, 65535);
                    int dport = data.consumeBoolean() ? 80 : data.consumeInt(1, 65535);
                    int mss = data.consumeBoolean() ? -1 : data.consumeInt(0, 65535);
                    int ws = data.consumeBoolean() ? -1 : data.consumeInt(0, 255);
                    var seg = new TcpSegment(
                            sport,
                            dport,
                            data.consumeInt(),
                            data.consumeInt(),
                            data.consumeInt(0, 255),
                            data.consumeInt(0, 65535),
                            data.consumeInt(0, 65535),
                            new TcpOptions(mss, ws, data.consumeBoolean()),
                            ByteBuffer.wrap(data.consumeBytes(1460)));
                    var ip = Ipv4Packet.of(1, IpProtocol.TCP, src, A, seg.toBuffer(src, A))
                            .toBuffer();
                    fuzzer.send(a.mac(), EtherType.IPV4, ip);
                }
                case 2 -> clock.advanceMillis(data.consumeInt(0, 120_000));
                case 3 -> { // the apps
                    var s = data.consumeBoolean() ? accepted : client;
                    if (s == null) break;
                    try {
                        switch (data.consumeInt(0, 3)) {
                            case 0 -> s.read(buf.clear(), 0);
                            case 1 -> s.write(ByteBuffer.wrap(data.consumeBytes(20_000)), false);
                            case 2 -> s.shutdownOutput();
                            default -> s.close(data.consumeBoolean());
                        }
                    } catch (java.io.IOException expected) {
                        // the app may see resets, closed channels, timeouts
                    }
                }
                default -> {
                    var more = server.accept(0);
                    if (more != null) accepted = more;
                }
            }
            for (int i = 0; i < 3; i++) {
                a.poll(clock.nanos());
                b.poll(clock.nanos());
            }
            var t = a.stats().tcp();
            assertThat(t.synQueued()).isLessThanOrEqualTo(BACKLOG);
            assertThat(t.acceptQueued()).isLessThanOrEqualTo(BACKLOG);
            assertThat(t.connections()).isLessThanOrEqualTo(2 * BACKLOG + 10);
            assertThat(a.stats().arpEntries()).isLessThanOrEqualTo(256);
            assertThat(a.stats().ip().loopbackQueued()).isLessThanOrEqualTo(NetStack.LOOPBACK_QUEUE);
        }
        a.close();
        b.close();
        assertThat(a.stats().tcp().connections()).isZero();
    }
}
