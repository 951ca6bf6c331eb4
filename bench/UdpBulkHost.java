import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * The kernel's side of bench/UdpBulk.java, on plain JDK sockets. Roles:
 *   send HOST SIZE SECS   send SIZE-byte datagrams to HOST:7009 as fast as the kernel takes them
 *   recv SECS             start the stack's sender, count what arrives on 10.0.0.1:7010, print "Mbit/s datagrams/s"
 */
public final class UdpBulkHost {
    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "send" -> hostSend(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]));
            case "recv" -> hostRecv(Integer.parseInt(a[1]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static void hostSend(String host, int size, int secs) throws Exception {
        try (var s = new DatagramSocket()) {
            // not connected: the ICMP port-unreachable after the stack's counter stops must not end the sender
            var p = new DatagramPacket(new byte[size], size, new InetSocketAddress(host, 7009));
            long end = System.nanoTime() + (secs + 1) * 1_000_000_000L;
            while (System.nanoTime() < end) s.send(p);
        }
    }

    static void hostRecv(int secs) throws Exception {
        try (var s = new DatagramSocket(null)) {
            s.setReceiveBufferSize(8 << 20);
            s.bind(new InetSocketAddress("10.0.0.1", 7010));
            try (var go = new DatagramSocket()) { // tell the stack to start
                go.send(new DatagramPacket(new byte[1], 1, new InetSocketAddress("10.0.0.2", 7009)));
            }
            var p = new DatagramPacket(new byte[65536], 65536);
            s.setSoTimeout(5000);
            s.receive(p);
            long bytes = 0, n = 0, end = System.nanoTime() + secs * 1_000_000_000L;
            s.setSoTimeout(1000);
            while (System.nanoTime() < end) {
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                bytes += p.getLength();
                n++;
            }
            System.out.printf("%.1f %.0f%n", bytes * 8 / 1e6 / secs, n / (double) secs);
        }
    }
}
