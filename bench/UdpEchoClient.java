import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop UDP echo load: FLOWS sockets each send a 64-byte request and wait for its echo
 * (re-sending after 200 ms if either was lost) for SECONDS; prints completed requests per second.
 * With "wait" as the only mode argument it just waits (up to 120 s) until the echo answers.
 * Usage: java UdpEchoClient.java HOST PORT SECONDS FLOWS | java UdpEchoClient.java HOST PORT wait
 */
public final class UdpEchoClient {
    public static void main(String[] args) throws Exception {
        var target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        if (args[2].equals("wait")) {
            try (var s = new DatagramSocket()) {
                s.setSoTimeout(200);
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (System.nanoTime() < deadline) {
                    s.send(new DatagramPacket(new byte[] {1}, 1, target));
                    try {
                        s.receive(new DatagramPacket(new byte[16], 16));
                        return;
                    } catch (SocketTimeoutException e) {
                        // not up yet
                    }
                }
            }
            System.err.println("no echo from " + target);
            System.exit(1);
        }
        long seconds = Long.parseLong(args[2]);
        int flows = Integer.parseInt(args[3]);
        var done = new AtomicLong();
        var lost = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        var threads = new ArrayList<Thread>();
        for (int f = 0; f < flows; f++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (var s = new DatagramSocket()) {
                    s.setSoTimeout(200);
                    s.connect(target);
                    byte[] req = new byte[64], resp = new byte[128];
                    var in = new DatagramPacket(resp, resp.length);
                    long seq = 0, n = 0;
                    while (System.nanoTime() < end) {
                        ByteBuffer.wrap(req).putLong(++seq);
                        s.send(new DatagramPacket(req, req.length));
                        while (true) {
                            try {
                                s.receive(in);
                                if (ByteBuffer.wrap(resp).getLong() == seq) { n++; break; }
                            } catch (SocketTimeoutException e) {
                                lost.incrementAndGet();
                                break;
                            }
                        }
                    }
                    done.addAndGet(n);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (var t : threads) t.join();
        System.out.printf("%.0f%n", done.get() / (double) seconds);
        if (lost.get() > 0) System.err.println("timeouts: " + lost.get());
    }
}
