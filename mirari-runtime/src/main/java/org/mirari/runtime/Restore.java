package org.mirari.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * One restore of this VM from a snapshot, as the app's {@link RestoreHook}s see it. By then the
 * guest's clock is the host's, its kernel RNG and the JVM's {@code SecureRandom} are reseeded, and
 * no request from outside has reached the app.
 *
 * @param generation  how many copies were restored from the same snapshot before this one (0 for
 *                    the VM the snapshot was taken of: it is told to diverge too)
 * @param hostTime    the host's clock when it sent the restore
 * @param seed        32 fresh random bytes of this copy's own, for the app's generators
 * @param parameters  what the restore changed that a snapshot does not fix (none yet; see the README)
 */
public record Restore(long generation, Instant hostTime, byte[] seed, Map<String, String> parameters) {
    public Restore {
        seed = seed.clone();
        parameters = Map.copyOf(parameters);
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }
}
