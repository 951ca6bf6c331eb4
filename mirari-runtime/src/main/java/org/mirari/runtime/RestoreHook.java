package org.mirari.runtime;

/**
 * What an app registers with {@link Mirari#afterRestore} to refresh state of its own when its VM
 * is restored from a snapshot (the way CRaC's {@code Resource.afterRestore} is used): keys, session
 * secrets, {@code java.util.Random} or DRBG instances, UUIDs or tokens made before the snapshot,
 * which every copy restored from it would otherwise share. Hooks run in the order registered,
 * before the restored copy is reachable from the host; an exception is printed and the next hook runs.
 */
@FunctionalInterface
public interface RestoreHook {
    void afterRestore(Restore restore) throws Exception;
}
