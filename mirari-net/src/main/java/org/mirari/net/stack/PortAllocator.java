package org.mirari.net.stack;

import java.net.BindException;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/**
 * The one ephemeral-port allocator UDP and TCP share (RFC 6056 3.3.1: a random port each time),
 * with a bounded search: when every port is taken it fails with a clear error instead of looping
 * (a known hang of another stack).
 */
final class PortAllocator {
    static final int FIRST = 49152, LAST = 65535;
    private final RandomGenerator random;
    private final int first, last;

    PortAllocator(RandomGenerator random) {
        this(random, FIRST, LAST);
    }

    PortAllocator(RandomGenerator random, int first, int last) {
        this.random = random;
        this.first = first;
        this.last = last;
    }

    int allocate(IntPredicate inUse, String what) throws BindException {
        int span = last - first + 1;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int p = first + (start + i) % span;
            if (!inUse.test(p)) return p;
        }
        throw new BindException(
                "no free local port for " + what + " in " + first + "-" + last + " (all " + span
                        + " are in use, some perhaps by connections in TIME-WAIT); close sockets, or wait for TIME-WAIT to end");
    }
}
