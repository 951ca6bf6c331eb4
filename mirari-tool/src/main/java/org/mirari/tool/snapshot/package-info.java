/**
 * VM snapshots for {@code mirari run --qemu}: the cache of saved VMs ({@link SnapshotStore}, keyed
 * by everything that makes a saved VM invalid: {@link SnapshotKey}, made from a QEMU command by
 * {@link QemuCommandKey}) and the QEMU machine protocol
 * client that saves and restores them ({@link Qmp}). What is fixed by a snapshot and what a restore
 * may change is in the README's "Snapshots". It uses only the tool's leaf packages {@code scratch} and {@code json} (plain paths and
 * command words in, so the backends depend on it and not the other way round).
 */
package org.mirari.tool.snapshot;
