package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.mirari.tool.snapshot.SnapshotKey;

/** What a VM run does about snapshots: nothing (Xen, EC2), a cold boot with its reason, or the cache. */
public sealed interface VmSnapshots {
    /** Not a target with snapshots: nothing is said. */
    record None() implements VmSnapshots {}

    /** Boots cold every time; {@code reason} goes into the boot timeline ({@code cold: <reason>}). */
    record Cold(String reason) implements VmSnapshots {}

    /**
     * Restores the snapshot of {@code key} when there is one ({@code auto}), else boots cold and
     * records one when the app listens ({@code refresh} always does that). The launch's command is
     * the cold boot's; a restore adds {@code -incoming defer}. Host ports are forwarded only once
     * the guest has acknowledged its restore ({@code hostfwd_add}), so no request reaches a copy
     * before it is reseeded.
     *
     * @param store        {@code <cache>/snapshots}
     * @param refresh      {@code refresh}: record a new snapshot even when there is one (else {@code auto})
     * @param runDir       the run's private directory for QEMU's monitor and control sockets (made by the run)
     * @param hostForwards the forwards as {@code hostfwd_add} takes them ({@code tcp:127.0.0.1:8080-10.0.0.2:8080})
     * @param capBytes     the cache's size cap
     * @param trace        ask each restored guest where its restore time went ({@code MIRARI_RESTORE_TRACE=1}:
     *                     the restore line's {@code trace=1}; its answer goes into the boot timeline)
     */
    record Cache(
            Path store,
            SnapshotKey key,
            boolean refresh,
            Path runDir,
            List<String> hostForwards,
            long capBytes,
            boolean trace)
            implements VmSnapshots {
        public Cache {
            Objects.requireNonNull(key, "key");
            hostForwards = List.copyOf(hostForwards);
        }

        public Path qmp() {
            return runDir.resolve("qmp.sock");
        }

        public Path control() {
            return runDir.resolve("control.sock");
        }
    }
}
