import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.mirari.runtime.net.Network;

/** A TCP sink (5001) and source (5002) for the tcp-bulk benchmark; one thread per connection. */
final class Bulk {
    private Bulk() {}

    static void main(Network network) throws Exception {
        long bytes = Long.parseLong(System.getenv().getOrDefault("BULK_BYTES", Long.toString(200L << 20)));
        var sink = ServerSocketChannel.open().bind(new InetSocketAddress(5001));
        var source = ServerSocketChannel.open().bind(new InetSocketAddress(5002));
        Thread.ofPlatform().start(() -> serve(source, ch -> {
            var buf = ByteBuffer.allocateDirect(256 * 1024);
            for (long left = bytes; left > 0; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                left -= ch.write(buf);
            }
        }));
        System.out.println("bulk: sink on 5001, source of " + bytes + " bytes on 5002 (" + network.iface().address().getHostAddress() + ")");
        serve(sink, ch -> {
            var buf = ByteBuffer.allocateDirect(256 * 1024);
            long n = 0;
            for (int r; (r = ch.read(buf.clear())) >= 0; ) n += r;
            ch.write(ByteBuffer.wrap((n + "\n").getBytes(StandardCharsets.US_ASCII)));
        });
    }

    interface Handler {
        void handle(SocketChannel ch) throws Exception;
    }

    static void serve(ServerSocketChannel server, Handler h) {
        while (true) {
            try {
                var ch = server.accept();
                Thread.ofPlatform().start(() -> {
                    try (ch) {
                        h.handle(ch);
                    } catch (Exception e) {
                        System.out.println("bulk: " + e);
                    }
                });
            } catch (Exception e) {
                System.out.println("bulk: " + e);
                return;
            }
        }
    }
}
