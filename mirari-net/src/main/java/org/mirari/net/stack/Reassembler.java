package org.mirari.net.stack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.mirari.net.wire.Ipv4Packet;

/**
 * IPv4 fragment reassembly (RFC 791 section 3.2; RFC 815's hole list, kept as sorted ranges).
 * Bounded: at most {@link #MAX_DATAGRAMS} datagrams in progress (the oldest is evicted), none
 * larger than 65535 bytes, each abandoned {@link #TIMEOUT_NANOS} after its first fragment (Linux
 * uses 30 s).
 */
final class Reassembler {
    static final int MAX_DATAGRAMS = 16;
    static final long TIMEOUT_NANOS = 30_000_000_000L;
    private static final int MAX_LEN = 65535 - 20;

    private record Key(int src, int dst, int protocol, int id) {}

    private static final class Partial {
        final byte[] data = new byte[MAX_LEN];
        final List<int[]> ranges = new ArrayList<>(); // sorted, disjoint [start, end)
        int total = -1;
        final long deadline;

        Partial(long deadline) {
            this.deadline = deadline;
        }

        void add(int start, int end) {
            var merged = new ArrayList<int[]>();
            int s = start, e = end;
            for (var r : ranges) {
                if (r[1] < s || r[0] > e) merged.add(r);
                else {
                    s = Math.min(s, r[0]);
                    e = Math.max(e, r[1]);
                }
            }
            merged.add(new int[] {s, e});
            merged.sort((a, b) -> Integer.compare(a[0], b[0]));
            ranges.clear();
            ranges.addAll(merged);
        }

        boolean complete() {
            return total >= 0 && ranges.size() == 1 && ranges.get(0)[0] == 0 && ranges.get(0)[1] == total;
        }
    }

    private final LinkedHashMap<Key, Partial> partials = new LinkedHashMap<>();

    /** Takes one fragment; returns the whole payload when this fragment completes its datagram. */
    Optional<ByteBuffer> offer(Ipv4Packet p, long now) {
        var key = new Key(p.src().bits(), p.dst().bits(), p.protocol().value(), p.identification());
        int start = p.fragmentOffset(), len = p.payload().remaining(), end = start + len;
        if (end > MAX_LEN || (p.moreFragments() && (len == 0 || len % 8 != 0))) {
            partials.remove(key); // RFC 791: non-last fragments carry multiples of 8 bytes
            return Optional.empty();
        }
        var partial = partials.get(key);
        if (partial == null) {
            if (partials.size() >= MAX_DATAGRAMS) {
                var oldest = partials.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            partial = new Partial(now + TIMEOUT_NANOS);
            partials.put(key, partial);
        }
        if (!p.moreFragments()) {
            if (partial.total >= 0 && partial.total != end) {
                partials.remove(key);
                return Optional.empty();
            }
            partial.total = end;
        }
        if (partial.total >= 0 && end > partial.total) {
            partials.remove(key);
            return Optional.empty();
        }
        p.payload().get(partial.data, start, len);
        partial.add(start, end);
        if (!partial.complete()) return Optional.empty();
        partials.remove(key);
        return Optional.of(ByteBuffer.wrap(partial.data, 0, partial.total).slice());
    }

    /** Drops datagrams whose time is up; returns how many. */
    int expire(long now) {
        int n = 0;
        for (var it = partials.values().iterator(); it.hasNext(); ) {
            if (now - it.next().deadline >= 0) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (var p : partials.values()) next = Math.min(next, p.deadline);
        return next;
    }

    int size() {
        return partials.size();
    }

    void clear() {
        partials.clear();
    }
}
