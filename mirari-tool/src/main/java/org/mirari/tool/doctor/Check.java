package org.mirari.tool.doctor;

import java.util.List;
import java.util.Optional;

/**
 * One thing the doctor looked at.
 *
 * @param id      a stable name ({@code qemu}, {@code kvm}, {@code tap}...): the JSON's key
 * @param status  what it found
 * @param detail  what it found, in words (a version, a path, why not)
 * @param fix     for what is not {@link Status#OK}: the command (or the step) that fixes it
 * @param targets the targets that need it ({@code --socket}... as switch names without dashes)
 */
public record Check(String id, Status status, String detail, Optional<String> fix, List<String> targets) {
    public Check {
        targets = List.copyOf(targets);
    }

    /** {@code OK} works; {@code WARN} works less well (TCG instead of KVM); {@code MISSING} stops the targets that need it. */
    public enum Status {
        OK,
        WARN,
        MISSING
    }

    static Check ok(String id, String detail, String... targets) {
        return new Check(id, Status.OK, detail, Optional.empty(), List.of(targets));
    }

    static Check warn(String id, String detail, String fix, String... targets) {
        return new Check(id, Status.WARN, detail, Optional.of(fix), List.of(targets));
    }

    static Check missing(String id, String detail, String fix, String... targets) {
        return new Check(id, Status.MISSING, detail, Optional.of(fix), List.of(targets));
    }
}
