package org.mirari.net.device;

/**
 * What a {@link FaultInjector} does to received frames, each a probability in [0, 1] per frame
 * except the delays.
 *
 * @param loss       drop the frame
 * @param duplicate  deliver it twice
 * @param reorder    hold it back by {@code reorderNanos} so later frames overtake it
 * @param corrupt    flip one random bit
 * @param delayNanos fixed delay added to every frame
 */
public record Faults(
        double loss, double duplicate, double reorder, double corrupt, long delayNanos, long reorderNanos) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);

    public Faults {
        for (double p : new double[] {loss, duplicate, reorder, corrupt})
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability " + p + " is not in [0, 1]");
        if (delayNanos < 0 || reorderNanos < 0) throw new IllegalArgumentException("negative delay");
    }

    public Faults withLoss(double p) {
        return new Faults(p, duplicate, reorder, corrupt, delayNanos, reorderNanos);
    }

    public Faults withDuplicate(double p) {
        return new Faults(loss, p, reorder, corrupt, delayNanos, reorderNanos);
    }

    public Faults withReorder(double p, long byNanos) {
        return new Faults(loss, duplicate, p, corrupt, delayNanos, byNanos);
    }

    public Faults withCorrupt(double p) {
        return new Faults(loss, duplicate, reorder, p, delayNanos, reorderNanos);
    }

    public Faults withDelay(long nanos) {
        return new Faults(loss, duplicate, reorder, corrupt, nanos, reorderNanos);
    }
}
