package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.device.ForwardingDevice;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.Offloads;
import org.mirari.net.device.RxStatus;
import org.mirari.net.device.SoftwareOffload;
import org.mirari.net.device.TxOffload;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.TcpSegment;

/**
 * TCP on a device with offloads, as a tap with {@code IFF_VNET_HDR} is: sending, the stack leaves
 * checksums partial and hands down super-segments cut at the MSS (TSO); receiving, it skips the
 * checksum the device vouched for. The device here does what the kernel would in software, so
 * the peer (a stack without offloads) sees ordinary segments.
 */
class TcpOffloadTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.2"), B = Ipv4Address.parse("10.0.0.3");
    final VirtualClock clock = new VirtualClock();
    final VirtualSwitch sw = new VirtualSwitch(1500, 4096);

    /** A port that offers checksum offload and TSO and finishes the frames in software, counting what it was asked. */
    static final class OffloadingPort extends ForwardingDevice {
        long partial, superSegments, plainTcp;
        int largestSuper;
        /** Receiving: overwrite every TCP checksum with garbage, and say (or not) that it needs no check. */
        boolean garbleAndVouch, garbleOnly;

        OffloadingPort(NetDevice inner) {
            super(inner);
        }

        @Override
        public Offloads offloads() {
            return new Offloads(true, true, true, Offloads.ETHERNET_HEADER + Offloads.MAX_IPV4);
        }

        @Override
        public void send(ByteBuffer frame, TxOffload offload) throws IOException {
            if (offload.isSegmented()) {
                superSegments++;
                largestSuper = Math.max(largestSuper, frame.remaining() - offload.headerLength());
            } else if (!offload.isNone()) partial++;
            else if (isTcp(frame, frame.position())) plainTcp++;
            SoftwareOffload.finish(frame, offload, inner::send);
        }

        @Override
        public void send(ByteBuffer frame) throws IOException {
            send(frame, TxOffload.NONE);
        }

        @Override
        public int receive(ByteBuffer dst, RxStatus status) throws IOException {
            int start = dst.position();
            int n = inner.receive(dst);
            status.checksumValid(false);
            if (n < 0 || !(garbleAndVouch || garbleOnly)) return n;
            // IPv4 (no options) carrying TCP: a frame whose checksum only the device could have known
            if (n >= 54 && isTcp(dst, start)) {
                dst.putShort(start + 34 + TcpSegment.CHECKSUM, (short) 0x1234);
                status.checksumValid(garbleAndVouch);
            }
            return n;
        }

        static boolean isTcp(ByteBuffer frame, int start) {
            return frame.getShort(start + 12) == 0x0800 && frame.get(start + 23) == 6;
        }
    }

    NetStack stack(NetDevice d, Ipv4Address ip, long seed) throws Exception {
        var s = new NetStack(d, new Random(seed));
        s.setClock(clock);
        s.configure(new Ipv4Config(ip, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        return s;
    }

    static byte at(long i) {
        return (byte) (i * 131 + (i >>> 9));
    }

    /** Sends {@code bytes} from a client on {@code from} to a server on {@code to}; returns what arrived, checked byte for byte. */
    long transfer(NetStack from, NetStack to, Ipv4Address toAddress, long bytes) throws Exception {
        var server = to.listenTcp(Ipv4Address.ANY, 80, 4);
        var client = from.connectTcp(toAddress, 80, clock);
        TcpSocket accepted = null;
        long written = 0, read = 0;
        boolean shut = false;
        var buf = ByteBuffer.allocate(256 * 1024);
        for (int round = 0; round < 200_000; round++) {
            for (int i = 0; i < 8; i++) {
                from.poll(clock.nanos());
                to.poll(clock.nanos());
            }
            if (accepted == null) accepted = server.accept(0);
            while (written < bytes) {
                buf.clear().limit((int) Math.min(buf.capacity(), bytes - written));
                for (int i = 0; i < buf.limit(); i++) buf.put(i, at(written + i));
                int w = client.write(buf, false);
                written += w;
                if (w == 0) break;
            }
            if (written == bytes && !shut) {
                client.shutdownOutput();
                shut = true;
            }
            if (accepted != null) {
                int n;
                while ((n = accepted.read(buf.clear(), 0)) > 0) {
                    for (int i = 0; i < n; i++)
                        if (buf.get(i) != at(read + i)) throw new AssertionError("byte " + (read + i) + " differs");
                    read += n;
                }
                if (n < 0) break;
            }
            clock.advanceNanos(50_000);
        }
        client.close();
        if (accepted != null) accepted.close();
        server.close();
        return read;
    }

    @Test
    void withTsoTheStackHandsDownSuperSegmentsWithPartialChecksums() throws Exception {
        var port = new OffloadingPort(sw.port(MacAddress.parse("02:00:00:00:00:0a")));
        var a = stack(port, A, 1);
        var b = stack(sw.port(MacAddress.parse("02:00:00:00:00:0b")), B, 2);
        long n = 4L << 20;
        assertThat(transfer(a, b, B, n)).isEqualTo(n);
        assertThat(port.superSegments).as("super-segments handed down").isPositive();
        assertThat(port.largestSuper).isGreaterThan(1460).isLessThanOrEqualTo(Offloads.MAX_IPV4 - 40);
        assertThat(port.largestSuper % 1460).as("a whole number of MSS").isZero();
        assertThat(port.partial)
                .as("every other segment has a partial checksum")
                .isPositive();
        // only what waited for ARP (the SYN) was finished by the stack itself
        assertThat(port.plainTcp).as("segments with full checksums").isLessThanOrEqualTo(1);
        assertThat(b.stats().malformed()).as("the cut segments are well-formed").isZero();
        // and the other way: the receiver with offloads acknowledges with partial checksums
        assertThat(transfer(b, a, A, n)).isEqualTo(n);
        assertThat(a.stats().malformed()).isZero();
    }

    @Test
    void aChecksumTheDeviceVouchesForIsNotCheckedAndOneItDoesNotIs() throws Exception {
        var port = new OffloadingPort(sw.port(MacAddress.parse("02:00:00:00:00:0a")));
        var a = stack(port, A, 3);
        var b = stack(sw.port(MacAddress.parse("02:00:00:00:00:0b")), B, 4);
        port.garbleAndVouch = true;
        long n = 1L << 20;
        assertThat(transfer(b, a, A, n)).isEqualTo(n);
        assertThat(a.stats().tcp().malformed()).isZero();

        port.garbleAndVouch = false;
        port.garbleOnly = true;
        var client = b.connectTcp(A, 81, clock);
        for (int i = 0; i < 100; i++) {
            a.poll(clock.nanos());
            b.poll(clock.nanos());
            clock.advanceMillis(1);
        }
        assertThat(a.stats().tcp().malformed())
                .as("a bad checksum no one vouched for")
                .isPositive();
        assertThat(client.state().synchronizedState()).isFalse();
        client.close(true);
    }
}
