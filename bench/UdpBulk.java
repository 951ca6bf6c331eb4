import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import org.mirari.net.NetClock;
import org.mirari.net.device.TapDevice;
import org.mirari.net.device.TapOffload;
import org.mirari.net.stack.Ipv4Config;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.StackDriver;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * UDP bulk throughput through Mirari's stack on a tap, for measuring the device layer's knobs (MTU,
 * vnet header, checksum offload); the kernel's side is bench/UdpBulkHost.java. Roles:
 *   stack TAP OFFLOAD rx SECS          count what arrives on port 7009 for SECS after the first datagram,
 *                                      print "Mbit/s datagrams/s"
 *   stack TAP OFFLOAD tx SECS SIZE     after a first datagram, send SIZE-byte datagrams to 10.0.0.1:7010
 *                                      as fast as it can for SECS + 1 s
 * Needs mirari-net and mirari-runtime on the class path.
 */
public final class UdpBulk {
    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "stack" -> stack(a[1], TapOffload.parse(a[2]), a[3], Integer.parseInt(a[4]), a.length > 5 ? Integer.parseInt(a[5]) : 0);
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static void stack(String tap, TapOffload offload, String mode, int secs, int size) throws Exception {
        var device = TapDevice.open(tap, MacAddress.randomLocal(new SecureRandom()), offload);
        System.err.println("udp-bulk: " + tap + " mtu " + device.mtu() + " " + device.offloads());
        var stack = new NetStack(device, new SecureRandom());
        stack.configure(new Ipv4Config(Ipv4Address.parse("10.0.0.2"), Ipv4Address.netmask(24),
                Optional.of(Ipv4Address.parse("10.0.0.1"))), NetClock.SYSTEM.nanos());
        var driver = new StackDriver(stack, NetClock.SYSTEM, System.err).start();
        var socket = stack.openUdp(Ipv4Address.ANY, 7009, NetClock.SYSTEM);
        System.out.println("ready");
        if (mode.equals("rx")) {
            var first = socket.receive(-1);
            long bytes = 0, n = 0, end = System.nanoTime() + secs * 1_000_000_000L;
            while (System.nanoTime() < end) {
                var d = socket.receive(end - System.nanoTime());
                if (d == null) break;
                bytes += d.payload().remaining();
                n++;
            }
            System.out.printf("%.1f %.0f%n", bytes * 8 / 1e6 / secs, n / (double) secs);
            System.err.println("udp-bulk: socket dropped " + socket.dropped() + "; " + stack.stats());
        } else {
            var dst = Ipv4Address.parse("10.0.0.1");
            var payload = ByteBuffer.allocate(size);
            // wait for the host's "go" (a first datagram), so the sender starts when the counter listens
            socket.receive(-1);
            long start = System.nanoTime(), end = start + (secs + 1) * 1_000_000_000L, n = 0;
            for (; System.nanoTime() < end; n++) socket.send(dst, 7010, payload);
            double t = (System.nanoTime() - start) / 1e9;
            System.err.printf("udp-bulk: tx sent %d datagrams of %d bytes in %.1f s (%.0f Mbit/s offered), %d frames%n",
                    n, size, t, n * size * 8 / 1e6 / t, stack.stats().link().framesOut());
        }
        socket.close();
        driver.close();
        stack.close();
        device.close();
    }
}
