package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mirari.tool.doctor.Check;
import org.mirari.tool.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mirari doctor}: what works on this machine for each target, and the fix for what does not. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Checks this machine for each target and prints what works and, for what does not, the command that "
                    + "fixes it: the JDK, Maven resolution (the local repository, the remote or mirror, offline), QEMU, "
                    + "KVM, OVMF, the right to create a tap, dnsmasq, xl and a running Xen, runc, podman, a kube context, "
                    + "AWS credentials and Node.js.",
            "",
            "Exits 0 when the default target (--socket) works here, 5 when it does not. With --json: one 'check' "
                    + "event per row and one 'target' event per target."
        })
public final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Override
    public Integer call() {
        var context = cli.context();
        var checks = new Doctor(context.tool()).checks();
        var targets = Doctor.readiness(checks);
        if (context.output().json()) {
            var out = context.out();
            for (var c : checks)
                out.println(Json.object(
                        "event", "check",
                        "id", c.id(),
                        "status", c.status().name().toLowerCase(Locale.ROOT),
                        "detail", c.detail(),
                        "fix", c.fix().orElse(null),
                        "targets", c.targets()));
            for (var t : targets)
                out.println(Json.object(
                        "event", "target",
                        "target", t.target(),
                        "ready", t.ready(),
                        "missing", t.missing(),
                        "degraded", t.degraded()));
        } else {
            print(context, checks, targets);
        }
        boolean ok = targets.stream()
                .filter(t -> t.target().equals(Doctor.DEFAULT_TARGET))
                .allMatch(Doctor.Readiness::ready);
        return ok ? 0 : org.mirari.tool.error.ExitCode.BACKEND.code();
    }

    private static void print(CliContext context, List<Check> checks, List<Doctor.Readiness> targets) {
        boolean color = context.output().color();
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("CHECK", "STATUS", "FOR", "FOUND"));
        for (var c : checks)
            rows.add(List.of(
                    c.id(), c.status().name().toLowerCase(Locale.ROOT), String.join(",", c.targets()), c.detail()));
        int[] width = new int[3];
        for (var r : rows)
            for (int i = 0; i < 3; i++) width[i] = Math.max(width[i], r.get(i).length());
        var out = context.out();
        for (int n = 0; n < rows.size(); n++) {
            var r = rows.get(n);
            var status = r.get(1) + " ".repeat(width[1] - r.get(1).length());
            if (n > 0) {
                var s = checks.get(n - 1).status();
                status = s == Check.Status.OK
                        ? Ansi.green(color, status)
                        : s == Check.Status.WARN ? Ansi.yellow(color, status) : Ansi.red(color, status);
            }
            out.println(pad(r.get(0), width[0]) + "  " + status + "  " + pad(r.get(2), width[2]) + "  " + r.get(3));
            if (n > 0) {
                var fix = checks.get(n - 1).fix();
                if (fix.isPresent()) out.println(" ".repeat(width[0] + width[1] + width[2] + 6) + "fix: " + fix.get());
            }
        }
        out.println();
        for (var t : targets) {
            var state = t.ready()
                    ? Ansi.green(color, "works")
                            + (t.degraded().isEmpty() ? "" : " (less well: " + String.join(", ", t.degraded()) + ")")
                    : Ansi.red(color, "not here") + " (missing: " + String.join(", ", t.missing()) + ")";
            var name = t.target().startsWith("deploy ") ? t.target() : "--" + t.target();
            out.println(pad(name, 11) + " " + state);
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
