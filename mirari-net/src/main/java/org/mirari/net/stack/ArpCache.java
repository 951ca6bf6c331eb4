package org.mirari.net.stack;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * The neighbour table (RFC 826, with RFC 1122 2.3.2.1-2.3.2.2): resolved entries expire, an entry
 * is refreshed whenever its owner's ARP arrives, and a destination being resolved keeps a small
 * queue of outgoing packets (so the first packet of a flow is sent, not lost) while the request is
 * retried. Everything is bounded and driven by the caller's time; nothing here sends.
 */
final class ArpCache {
    static final long REACHABLE_NANOS = 60_000_000_000L;
    static final long RETRY_NANOS = 1_000_000_000L;
    /** Requests per resolution before the queued packets are dropped (Linux's mcast_solicit). */
    static final int MAX_REQUESTS = 3;

    static final int MAX_ENTRIES = 256;
    /** RFC 1122 2.3.2.2 asks for at least one queued packet per destination; we keep a few. */
    static final int MAX_QUEUED_PER_DEST = 8;

    private sealed interface Entry permits Resolved, Pending {}

    private record Resolved(MacAddress mac, long expiresAt) implements Entry {}

    private static final class Pending implements Entry {
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        int requests;
        long nextRequestAt;
    }

    /** Packets released by a resolution, with the MAC to send them to. */
    record Flush(MacAddress mac, List<ByteBuffer> packets) {}

    /** What {@link #poll} found due: addresses to ask again, and how many packets it gave up on. */
    record Due(List<Ipv4Address> requests, int dropped) {}

    private final LinkedHashMap<Ipv4Address, Entry> entries = new LinkedHashMap<>();

    Optional<MacAddress> lookup(Ipv4Address ip, long now) {
        if (entries.get(ip) instanceof Resolved r && r.expiresAt - now > 0) return Optional.of(r.mac);
        return Optional.empty();
    }

    boolean contains(Ipv4Address ip) {
        return entries.containsKey(ip);
    }

    /**
     * Records that {@code ip} is at {@code mac} (RFC 826 "merge"): always when {@code create}, else
     * only when the address is already known or being resolved. Returns the packets that waited for it.
     */
    Flush learn(Ipv4Address ip, MacAddress mac, long now, boolean create) {
        var old = entries.get(ip);
        if (old == null && !create) return new Flush(mac, List.of());
        if (old == null) evictIfFull(now);
        entries.put(ip, new Resolved(mac, now + REACHABLE_NANOS));
        if (old instanceof Pending p) return new Flush(mac, new ArrayList<>(p.queue));
        return new Flush(mac, List.of());
    }

    /**
     * Queues {@code packet} for {@code ip}, which has no live entry. Returns true when a request
     * should go out now (the first for this resolution). A full per-destination queue drops the
     * oldest packet, as Linux's unres_qlen does.
     */
    boolean enqueue(Ipv4Address ip, ByteBuffer packet, long now) {
        var e = entries.get(ip);
        Pending p;
        boolean ask = false;
        if (e instanceof Pending existing) {
            p = existing;
        } else {
            if (e == null) evictIfFull(now);
            p = new Pending();
            p.requests = 1;
            p.nextRequestAt = now + RETRY_NANOS;
            entries.put(ip, p);
            ask = true;
        }
        if (p.queue.size() >= MAX_QUEUED_PER_DEST) p.queue.poll();
        p.queue.add(packet);
        return ask;
    }

    /** Retries due requests, gives up on exhausted ones, forgets long-expired entries. */
    Due poll(long now) {
        var requests = new ArrayList<Ipv4Address>();
        int dropped = 0;
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            var en = it.next();
            switch (en.getValue()) {
                case Resolved r -> {
                    if (now - r.expiresAt >= REACHABLE_NANOS) it.remove();
                }
                case Pending p -> {
                    if (now - p.nextRequestAt < 0) continue;
                    if (p.requests >= MAX_REQUESTS) {
                        dropped += p.queue.size();
                        it.remove();
                    } else {
                        p.requests++;
                        p.nextRequestAt = now + RETRY_NANOS;
                        requests.add(en.getKey());
                    }
                }
            }
        }
        return new Due(requests, dropped);
    }

    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (var e : entries.values()) {
            long t =
                    switch (e) {
                        case Resolved r -> r.expiresAt + REACHABLE_NANOS;
                        case Pending p -> p.nextRequestAt;
                    };
            if (t < next) next = t;
        }
        return next;
    }

    private void evictIfFull(long now) {
        if (entries.size() < MAX_ENTRIES) return;
        // Evict the oldest resolved entry; never a pending one (its packets would be lost).
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() instanceof Resolved) {
                it.remove();
                return;
            }
        }
        var first = entries.keySet().iterator();
        first.next();
        first.remove();
    }

    int size() {
        return entries.size();
    }

    int queuedPackets() {
        int n = 0;
        for (var e : entries.values()) if (e instanceof Pending p) n += p.queue.size();
        return n;
    }

    void clear() {
        entries.clear();
    }
}
