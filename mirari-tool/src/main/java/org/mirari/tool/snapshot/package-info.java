/**
 * VM snapshots for {@code mirari run --qemu}: the cache of saved VMs ({@link SnapshotStore}, keyed
 * by everything that makes a saved VM invalid: {@link SnapshotKey}) and the QEMU machine protocol
 * client that saves and restores them ({@link Qmp}). What is fixed by a snapshot and what a restore
 * may change is in the README's "Snapshots".
 */
package org.mirari.tool.snapshot;
