import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.mirari.runtime.net.Network;

/**
 * Echoes every UDP datagram back to its sender (the echo protocol of RFC 862, on port 7007 so
 * that it needs no root; the environment variable {@code PING_PORT} changes it). Plain JDK
 * channels: no Mirari-specific I/O, so the same code runs on host sockets and on Mirari's stack.
 */
final class Ping {
    private Ping() {}

    static void main(Network network) throws Exception {
        var iface = network.iface();
        int port = Integer.parseInt(System.getenv().getOrDefault("PING_PORT", "7007"));
        // On host sockets (--socket) the configured address (10.0.0.2 by default) usually is not
        // one of the host's: then listen on every address of the host instead.
        var address = isLocal(iface.address()) ? iface.address() : InetAddress.getByName("0.0.0.0");
        try (var channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(address, port));
            System.out.println("ping: echoing UDP on " + channel.getLocalAddress() + " (" + iface.name() + ")");
            var buffer = ByteBuffer.allocate(65_535);
            while (true) {
                buffer.clear();
                var from = channel.receive(buffer);
                buffer.flip();
                channel.send(buffer, from);
            }
        }
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
