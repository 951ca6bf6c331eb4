package org.mirari.net.stack;

import java.net.BindException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import org.mirari.net.stack.tcp.TcpConnection;
import org.mirari.net.stack.tcp.TcpState;
import org.mirari.net.stack.tcp.TcpTuple;
import org.mirari.net.wire.Ipv4Address;

/**
 * The stack's sockets, by protocol: UDP sockets by port; TCP connections by 4-tuple, listeners by
 * port, and the local ports TCP sockets hold; one ephemeral-port allocator for both. It also
 * keeps the TCP connections' schedule: which ones have work now ({@code dirty}) and a heap of
 * their {@link TcpConnection#pollAt} deadlines. Guarded by the stack's lock.
 */
final class SocketSet {
    final Map<Integer, List<UdpSocket>> udp = new HashMap<>();
    final Map<TcpTuple, TcpConnection> tcp = new HashMap<>();
    final Map<Integer, List<TcpServerSocket>> listeners = new HashMap<>();
    private final Map<Integer, Integer> tcpPorts = new HashMap<>();
    private final PortAllocator ports;
    final LinkedHashSet<TcpConnection> dirty = new LinkedHashSet<>();

    private record Timer(long at, TcpConnection c) {}

    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    int timeWait;

    SocketSet(RandomGenerator random) {
        this.ports = new PortAllocator(random);
    }

    SocketSet(RandomGenerator random, int first, int last) {
        this.ports = new PortAllocator(random, first, last);
    }

    private boolean inUse(int p) {
        return udp.containsKey(p) || tcpPorts.containsKey(p) || listeners.containsKey(p);
    }

    int ephemeral(String what) throws BindException {
        return ports.allocate(this::inUse, what);
    }

    /** Claims a TCP local port for a socket that binds or connects (0: an ephemeral one). */
    int claimTcp(Ipv4Address local, int port) throws BindException {
        if (port == 0) port = ephemeral("TCP");
        else if (tcpPorts.containsKey(port) || listeners.containsKey(port))
            throw new BindException("TCP port " + port + " is already in use (Address already in use)");
        tcpPorts.merge(port, 1, Integer::sum);
        return port;
    }

    void releaseTcp(int port) {
        tcpPorts.computeIfPresent(port, (k, v) -> v == 1 ? null : v - 1);
    }

    int heldTcpPorts() {
        return tcpPorts.size();
    }

    TcpServerSocket listener(Ipv4Address dst, int port) {
        var list = listeners.get(port);
        if (list == null) return null;
        TcpServerSocket any = null;
        for (var l : list) {
            if (l.localAddress().equals(dst)) return l;
            if (l.localAddress().isAny()) any = l;
        }
        return any;
    }

    void addListener(TcpServerSocket l) throws BindException {
        int port = l.localPort();
        if (tcpPorts.containsKey(port))
            throw new BindException("TCP port " + port + " is already in use (Address already in use)");
        var list = listeners.computeIfAbsent(port, k -> new ArrayList<>());
        for (var o : list) {
            if (o.localAddress().isAny()
                    || l.localAddress().isAny()
                    || o.localAddress().equals(l.localAddress())) {
                throw new BindException("TCP port " + port + " is already in use (Address already in use)");
            }
        }
        list.add(l);
    }

    void removeListener(TcpServerSocket l) {
        var list = listeners.get(l.localPort());
        if (list == null) return;
        list.remove(l);
        if (list.isEmpty()) listeners.remove(l.localPort());
    }

    /** Asks for {@code c}'s output in this poll (new input, an app call). */
    void markDirty(TcpConnection c) {
        dirty.add(c);
    }

    /** Records {@code c}'s next deadline; an earlier one gets its own heap entry, a later one waits for the old entry. */
    void schedule(TcpConnection c) {
        long at = c.pollAt();
        if (at == Long.MAX_VALUE) return;
        if (at < c.scheduledAt) {
            c.scheduledAt = at;
            timers.add(new Timer(at, c));
        }
    }

    /** Connections whose timers are due at {@code now}, removed from the heap. */
    List<TcpConnection> due(long now) {
        List<TcpConnection> out = new ArrayList<>();
        while (!timers.isEmpty() && timers.peek().at <= now) {
            var t = timers.poll();
            if (t.c.scheduledAt == t.at) t.c.scheduledAt = Long.MAX_VALUE;
            if (!t.c.isClosed()) out.add(t.c);
        }
        return out;
    }

    long nextDeadline() {
        while (!timers.isEmpty() && timers.peek().c.isClosed()) timers.poll();
        return timers.isEmpty() ? Long.MAX_VALUE : timers.peek().at;
    }

    int timerCount() {
        timers.removeIf(t -> t.c.isClosed());
        return timers.size();
    }

    int countTimeWait() {
        int n = 0;
        for (var c : tcp.values()) if (c.state() == TcpState.TIME_WAIT) n++;
        return n;
    }

    void clear() {
        udp.clear();
        tcp.clear();
        listeners.clear();
        tcpPorts.clear();
        dirty.clear();
        timers.clear();
    }
}
