package org.mirari.tool.config;

import java.util.Optional;

/**
 * What {@code mirari run --qemu} does about snapshots: the conf's {@code snapshot} key and {@code run
 * --snapshot}, parsed once where they are read (with the conf line's position, or as the option's
 * error) so that nothing after compares words.
 */
public enum SnapshotMode {
    /** Restore the snapshot when there is one, else boot cold and record one (the default). */
    AUTO,
    /** Always boot cold. */
    OFF,
    /** Boot cold and record a new snapshot. */
    REFRESH;

    /** The word as written in a conf or on the command line. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The mode {@code word} names, exactly (lower case), or empty. */
    public static Optional<SnapshotMode> parse(String word) {
        for (var m : values()) if (m.word().equals(word)) return Optional.of(m);
        return Optional.empty();
    }
}
