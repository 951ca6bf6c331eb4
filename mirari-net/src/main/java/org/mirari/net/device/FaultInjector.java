package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import org.mirari.net.NetClock;

/**
 * Decorates a device with seeded faults on the receive path: loss, duplication, reordering,
 * delay and bit corruption. Time comes from the given clock (a virtual one in tests), randomness
 * from the given generator, so a run replays exactly. At most 4096 frames are held back.
 */
public final class FaultInjector extends ForwardingDevice {
    private static final int MAX_HELD = 4096;

    private record Held(long due, long seq, byte[] frame) {}

    private final NetClock clock;
    private final RandomGenerator random;
    private volatile Faults faults;
    private final PriorityQueue<Held> held =
            new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final ByteBuffer scratch;
    private long seq;
    private long dropped, duplicated, reordered, corrupted;

    public FaultInjector(NetDevice inner, Faults faults, NetClock clock, RandomGenerator random) {
        super(inner);
        this.faults = faults;
        this.clock = clock;
        this.random = random;
        this.scratch = ByteBuffer.allocate(inner.offloads().maxFrameLength() + 64);
    }

    public void setFaults(Faults faults) {
        this.faults = faults;
    }

    @Override
    public synchronized int receive(ByteBuffer dst) throws IOException {
        long now = clock.nanos();
        var f = faults;
        while (held.size() < MAX_HELD) {
            scratch.clear();
            int n = inner.receive(scratch);
            if (n < 0) break;
            byte[] frame = new byte[n];
            scratch.flip().get(frame);
            if (random.nextDouble() < f.loss()) {
                dropped++;
                continue;
            }
            if (random.nextDouble() < f.corrupt() && n > 0) {
                frame[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                corrupted++;
            }
            long due = now + f.delayNanos();
            if (random.nextDouble() < f.reorder()) {
                due += f.reorderNanos();
                reordered++;
            }
            held.add(new Held(due, seq++, frame));
            if (random.nextDouble() < f.duplicate()) {
                held.add(new Held(due, seq++, frame.clone()));
                duplicated++;
            }
        }
        var head = held.peek();
        if (head == null || head.due > now) return -1;
        held.poll();
        dst.put(head.frame);
        return head.frame.length;
    }

    /** The earliest time a held frame becomes deliverable, or {@link Long#MAX_VALUE}. */
    public synchronized long nextDue() {
        return held.isEmpty() ? Long.MAX_VALUE : held.peek().due;
    }

    @Override
    public void await(long timeoutNanos) throws IOException, InterruptedException {
        long wait = timeoutNanos;
        synchronized (this) {
            if (!held.isEmpty()) wait = Math.min(wait, Math.max(0, held.peek().due - clock.nanos()));
        }
        inner.await(wait);
    }

    public synchronized String stats() {
        return "dropped=" + dropped + " duplicated=" + duplicated + " reordered=" + reordered + " corrupted="
                + corrupted;
    }

    @Override
    public synchronized void close() throws IOException {
        held.clear();
        inner.close();
    }
}
