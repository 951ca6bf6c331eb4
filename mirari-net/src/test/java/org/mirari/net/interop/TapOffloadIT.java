package org.mirari.net.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.net.NetClock;
import org.mirari.net.device.Offloads;
import org.mirari.net.device.TapOffload;
import org.mirari.net.device.TxOffload;
import org.mirari.net.wire.Checksum;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;

/**
 * A tap at MTU 65520 opened with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD} against Linux: the
 * kernel's partial checksums are completed on receive, ours are completed by the kernel, and a
 * 60 KiB TCP super-segment is taken whole in one write.
 */
@Timeout(120)
class TapOffloadIT {
    TapInNamespace kernel;
    static final Ipv4Address HOST = Ipv4Address.parse("10.78.0.1"), APP = Ipv4Address.parse("10.78.0.2");

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        TapInNamespace.assumeAvailable("TapOffloadIT", "socat");
        kernel = new TapInNamespace(HOST, 65520, TapOffload.ALL);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (kernel != null) kernel.close();
    }

    @Test
    void theKernelGrantsEveryOffloadAndTheMtu() {
        assertThat(kernel.device.mtu()).isEqualTo(65520);
        assertThat(kernel.device.offloads()).isEqualTo(new Offloads(true, true, true, 14 + 65535));
    }

    @Test
    void largeDatagramsGoBothWaysInOneFrameWithOffloadedChecksums() throws Exception {
        var stack = kernel.startStatic(kernel.device, APP, HOST);
        var socket = stack.openUdp(Ipv4Address.ANY, 7, NetClock.SYSTEM);
        // 40000 bytes from the kernel: one frame (no fragments at MTU 65520), with a partial checksum
        // (the kernel.tap has TUN_F_CSUM) that the kernel.device completes, or the stack would drop it as corrupt.
        var r = kernel.ns.execIn(
                30,
                "python3",
                "-c",
                "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)" + ".sendto(b'm' * 40000, ('" + APP
                        + "', 7))");
        assertThat(r.code()).as(r.output()).isZero();
        var d = socket.receive(10_000_000_000L);
        assertThat(d).as("the 40000-byte datagram").isNotNull();
        assertThat(d.payload().remaining()).isEqualTo(40000);
        assertThat(stack.stats().malformed()).isZero();
        // and back: one 40000-byte frame from the stack, whose checksum the kernel accepts
        var log = tmp.resolve("recv.txt");
        kernel.ns.start(
                log,
                "python3",
                "-u",
                "-c",
                "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);" + " s.bind(('" + HOST
                        + "', 9000)); print('ready', flush=True); d = s.recv(65536); print(len(d), set(d))");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.readString(log).contains("ready") && System.nanoTime() < deadline) Thread.onSpinWait();
        long framesOut = stack.stats().link().framesOut();
        socket.send(HOST, 9000, ByteBuffer.wrap("s".repeat(40000).getBytes()));
        while (!Files.readString(log).contains("}") && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(Files.readString(log)).contains("40000 {115}");
        assertThat(stack.stats().link().framesOut() - framesOut)
                .as("frames for one datagram (an ARP exchange may add one)")
                .isLessThanOrEqualTo(2);
        assertThat(stack.stats().reassembling()).isZero();
        socket.close();
    }

    @Test
    void aTcpSuperSegmentIsTakenWholeInOneWrite() throws Exception {
        // No stack here: the test writes frames itself. The kernel learns our MAC statically, and its
        // RST to our unsolicited 60000-byte segment acknowledges all of it (RFC 9293 3.10.7.1), which
        // shows it took the super-segment as one and found its checksum good.
        var kernelMac = MacAddress.parse(kernel.ns
                .execIn(10, "cat", "/sys/class/net/" + kernel.tap + "/address")
                .output()
                .strip());
        Netns.run(
                "ip",
                "-n",
                kernel.ns.name,
                "neigh",
                "replace",
                APP.toString(),
                "lladdr",
                kernel.device.mac().toString(),
                "dev",
                kernel.tap,
                "nud",
                "permanent");
        int seq = 0x12345678, len = 60000;
        var tcp = ByteBuffer.allocate(20 + len);
        tcp.putShort((short) 40000)
                .putShort((short) 9)
                .putInt(seq)
                .putInt(0)
                .put((byte) 0x50)
                .put((byte) 0x08)
                .putShort((short) 65535)
                .putShort((short) 0)
                .putShort((short) 0)
                .clear(); // zeros as payload
        tcp.putShort(16, (short) (Checksum.finish(Checksum.pseudoHeader(APP, HOST, 6, tcp.remaining())) ^ 0xffff));
        var frame = new EthernetFrame(
                        kernelMac,
                        kernel.device.mac(),
                        EtherType.IPV4,
                        Ipv4Packet.of(1, IpProtocol.TCP, APP, HOST, tcp).toBuffer())
                .toBuffer();
        kernel.device.send(frame, TxOffload.tcp4Segments(34, 54, 1460));
        var buf = ByteBuffer.allocate(kernel.device.offloads().maxFrameLength());
        long deadline = System.nanoTime() + 10_000_000_000L;
        Integer ack = null;
        while (ack == null && System.nanoTime() < deadline) {
            buf.clear();
            if (kernel.device.receive(buf) < 0) {
                kernel.device.await(100_000_000L);
                continue;
            }
            var f = EthernetFrame.parse(buf.flip());
            if (!f.type().equals(EtherType.IPV4)) continue;
            var ip = Ipv4Packet.parse(f.payload());
            var t = ip.payload();
            if (ip.protocol().equals(IpProtocol.TCP) && (t.get(t.position() + 13) & 0x04) != 0)
                ack = t.getInt(t.position() + 8);
        }
        assertThat(ack).as("the kernel's RST").isNotNull();
        assertThat(ack).isEqualTo(seq + len);
    }
}
