package org.mirari.net.nio;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mirari.net.NetClock;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.UdpSocket;
import org.mirari.net.wire.Ipv4Address;

/**
 * A {@link DatagramChannel} on a {@link UdpSocket} of Mirari's stack: IPv4 only, no multicast
 * groups, no {@link DatagramSocket} adaptor. Sending never blocks (the stack queues or drops like a
 * NIC); receiving blocks in blocking mode and is interruptible.
 */
final class StackDatagramChannel extends DatagramChannel implements StackChannel {
    private static final Set<SocketOption<?>> OPTIONS = Set.of(
            StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.IP_TOS);

    private final NetStack stack;
    private final NetClock clock;
    private final Watchers watchers = new Watchers();
    private final Map<SocketOption<?>, Object> options = new HashMap<>();
    private final Object stateLock = new Object();
    private volatile UdpSocket socket;
    private volatile InetSocketAddress remote;

    StackDatagramChannel(SelectorProvider provider, NetStack stack, NetClock clock) {
        super(provider);
        this.stack = stack;
        this.clock = clock;
        options.put(StandardSocketOptions.SO_RCVBUF, UdpSocket.MAX_QUEUED_BYTES);
        options.put(StandardSocketOptions.SO_SNDBUF, 65536);
        options.put(StandardSocketOptions.SO_REUSEADDR, false);
        options.put(StandardSocketOptions.SO_BROADCAST, false);
        options.put(StandardSocketOptions.IP_TOS, 0);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    static Ipv4Address ipv4(InetAddress a) {
        if (a instanceof Inet4Address) return Ipv4Address.of(a);
        if (a.isAnyLocalAddress()) return Ipv4Address.ANY; // "::" means every address, and we have only IPv4 ones
        throw new UnsupportedAddressTypeException();
    }

    static InetSocketAddress checkAddress(SocketAddress sa) {
        if (!(sa instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        return isa;
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (socket != null) throw new AlreadyBoundException();
            Ipv4Address addr = Ipv4Address.ANY;
            int port = 0;
            if (local != null) {
                var isa = checkAddress(local);
                addr = ipv4(isa.getAddress());
                port = isa.getPort();
            }
            var s = stack.openUdp(addr, port, clock);
            s.setListener(watchers::changed);
            socket = s;
        }
        return this;
    }

    private UdpSocket boundSocket() throws IOException {
        var s = socket;
        if (s == null) {
            bind(null);
            s = socket;
        }
        return s;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        if (!OPTIONS.contains(name))
            throw new UnsupportedOperationException("'" + name + "' is not supported on Mirari's stack");
        synchronized (options) {
            options.put(name, value);
        } // recorded; the stack's buffers are fixed
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        if (!OPTIONS.contains(name))
            throw new UnsupportedOperationException("'" + name + "' is not supported on Mirari's stack");
        synchronized (options) {
            return (T) options.get(name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException(
                "DatagramChannel.socket() is not supported on Mirari's stack; use the channel itself");
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public DatagramChannel connect(SocketAddress to) throws IOException {
        var isa = checkAddress(to);
        ipv4(isa.getAddress());
        synchronized (stateLock) {
            ensureOpen();
            if (remote != null) throw new AlreadyConnectedException();
            boundSocket();
            remote = isa;
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() {
        remote = null;
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remote;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        var s = socket;
        if (s == null) return null;
        return new InetSocketAddress(s.localAddress().toInet(), s.port());
    }

    /** Takes the next datagram (waiting in blocking mode), skipping ones from other peers when connected. */
    private UdpSocket.Datagram take() throws IOException {
        var s = boundSocket();
        while (true) {
            UdpSocket.Datagram d;
            if (isBlocking()) {
                boolean done = false;
                try {
                    begin();
                    d = s.receive(-1);
                    done = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    d = null;
                } finally {
                    end(done);
                }
                if (d == null) {
                    // The interrupt may reach the lock before the channel's interruptor has run.
                    if (Thread.currentThread().isInterrupted()) {
                        close();
                        throw new java.nio.channels.ClosedByInterruptException();
                    }
                    return null;
                }
            } else {
                d = s.poll();
                if (d == null) return null;
            }
            var r = remote;
            if (r == null || (Ipv4Address.of(r.getAddress()).equals(d.srcAddress()) && r.getPort() == d.srcPort()))
                return d;
        }
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        ensureOpen();
        var d = take();
        if (d == null) return null;
        var p = d.payload();
        if (p.remaining() > dst.remaining())
            p.limit(p.position() + dst.remaining()); // the rest is discarded, as for UDP
        dst.put(p);
        return new InetSocketAddress(d.srcAddress().toInet(), d.srcPort());
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        ensureOpen();
        var isa = checkAddress(target);
        var r = remote;
        if (r != null && !r.equals(isa)) throw new AlreadyConnectedException();
        var dst = ipv4(isa.getAddress());
        var s = boundSocket();
        int n = src.remaining();
        s.send(dst, isa.getPort(), src);
        src.position(src.limit());
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (remote == null) throw new NotYetConnectedException();
        ensureOpen();
        int before = dst.position();
        return receive(dst) == null ? 0 : dst.position() - before;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        if (remote == null) throw new NotYetConnectedException();
        ensureOpen();
        var d = take();
        if (d == null) return 0;
        var p = d.payload();
        long n = 0;
        for (int i = offset; i < offset + length && p.hasRemaining(); i++) {
            var b = dsts[i];
            int k = Math.min(b.remaining(), p.remaining());
            b.put(p.slice(p.position(), k));
            p.position(p.position() + k);
            n += k;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        var r = remote;
        if (r == null) throw new NotYetConnectedException();
        return send(src, r);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        var r = remote;
        if (r == null) throw new NotYetConnectedException();
        int total = 0;
        for (int i = offset; i < offset + length; i++) total += srcs[i].remaining();
        var all = ByteBuffer.allocate(total);
        for (int i = offset; i < offset + length; i++) all.put(srcs[i]);
        return send(all.flip(), r);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("multicast groups are not supported on Mirari's stack");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("multicast groups are not supported on Mirari's stack");
    }

    @Override
    protected void implCloseSelectableChannel() {
        var s = socket;
        if (s != null) s.close(); // wakes a blocked receive
        watchers.changed();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        watchers.changed();
    }

    @Override
    public int readyOps() {
        var s = socket;
        int ops = SelectionKey.OP_WRITE;
        if (s != null && (s.hasQueued() || s.isClosed())) ops |= SelectionKey.OP_READ;
        return ops;
    }

    @Override
    public Watchers watchers() {
        return watchers;
    }

    static ProtocolFamily check(ProtocolFamily family) {
        if (family != java.net.StandardProtocolFamily.INET)
            throw new UnsupportedOperationException("Mirari's stack is IPv4 only; " + family + " is not supported");
        return family;
    }
}
