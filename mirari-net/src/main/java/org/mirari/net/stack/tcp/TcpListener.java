package org.mirari.net.stack.tcp;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.mirari.net.wire.Ipv4Address;

/**
 * A listening port (RFC 9293 LISTEN) with Linux's two queues: embryonic connections in
 * SYN-RECEIVED (the SYN queue) and established ones waiting for {@code accept} (the accept queue),
 * each bounded by the backlog. A SYN that finds either queue full is dropped without a reply, as
 * Linux does, so the peer retries instead of failing.
 */
public final class TcpListener {
    private final Ipv4Address address;
    private final int port;
    private final int backlog;
    private final Set<TcpConnection> synQueue = new HashSet<>();
    private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    private long dropped;
    private boolean closed;

    public TcpListener(Ipv4Address address, int port, int backlog) {
        this.address = address;
        this.port = port;
        this.backlog = Math.max(1, Math.min(backlog, 65535));
    }

    public Ipv4Address address() {
        return address;
    }

    public int port() {
        return port;
    }

    public int backlog() {
        return backlog;
    }

    public boolean isClosed() {
        return closed;
    }

    public long dropped() {
        return dropped;
    }

    public int synQueued() {
        return synQueue.size();
    }

    public int acceptQueued() {
        return acceptQueue.size();
    }

    /** Whether a new SYN may start a connection now. */
    public boolean admits() {
        boolean ok = !closed && synQueue.size() < backlog && acceptQueue.size() < backlog;
        if (!ok) dropped++;
        return ok;
    }

    public void embryonic(TcpConnection c) {
        synQueue.add(c);
    }

    /** Moves a connection that finished its handshake to the accept queue. */
    public void established(TcpConnection c) {
        if (synQueue.remove(c)) acceptQueue.add(c);
    }

    /** Forgets an embryonic connection that died (RST, or SYN-ACK retries exhausted). */
    public void forget(TcpConnection c) {
        synQueue.remove(c);
        acceptQueue.remove(c);
    }

    public boolean owns(TcpConnection c) {
        return synQueue.contains(c) || acceptQueue.contains(c);
    }

    /** The next established connection, or null. */
    public TcpConnection poll() {
        return acceptQueue.poll();
    }

    public boolean hasPending() {
        return !acceptQueue.isEmpty();
    }

    /** Closes the port; returns every connection it still held, for the stack to reset. */
    public java.util.List<TcpConnection> close() {
        closed = true;
        var all = new java.util.ArrayList<TcpConnection>(synQueue);
        all.addAll(acceptQueue);
        synQueue.clear();
        acceptQueue.clear();
        return all;
    }
}
