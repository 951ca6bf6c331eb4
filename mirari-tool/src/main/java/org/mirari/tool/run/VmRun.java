package org.mirari.tool.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.mirari.runtime.console.ReadyLine;
import org.mirari.runtime.console.RestoreMessage;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.backend.VmConsoleSpec;
import org.mirari.tool.backend.VmSnapshots;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ExitCode;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.scratch.Scratch;
import org.mirari.tool.snapshot.SnapshotStore;

/**
 * Runs a VM (QEMU or {@code xl create -c}) to its end through {@link AppProcess}, reading the
 * guest's console: the init's {@code mirari-vm:} lines become progress (with the guest clock's
 * {@code boot_ms}), the app's readiness lines are shown with the host side of the port forwards,
 * and the app's exit code is taken from {@code mirari-vm: exit code=N}, or from the kernel's
 * {@code Attempted to kill init! exitcode=0x0000NN00} if the init itself died.
 *
 * <p>A guest that ends without reporting an exit code crashed (a kernel panic, say); then
 * {@code on_crash} decides: {@code destroy} ends the run with 1, {@code restart} boots again,
 * {@code preserve} keeps the console log and says where it is. Otherwise the log is removed.
 */
public final class VmRun {
    private static final Pattern EXIT = Pattern.compile("mirari-vm: exit code=(\\d+)");
    private static final Pattern KILLED_INIT = Pattern.compile("Attempted to kill init! exitcode=0x([0-9a-fA-F]+)");
    /** QEMU's note when a signal (Ctrl-C, SIGTERM) stops it. */
    private static final Pattern TERMINATED = Pattern.compile("^qemu-system-\\w+: terminating on signal \\d+");

    private static final Pattern TRACE_GEN = Pattern.compile("^mirari-vm: restore-trace gen=(\\d{1,18}) ");
    private static final Pattern BOOT_MS = Pattern.compile("boot_ms=(\\d+)");
    private static final Pattern GUEST_CLOCK = Pattern.compile("guest clock ([0-9.]+) s");
    private static final Pattern UNPACK = Pattern.compile("unpack_start_ms=(\\d+) unpack_end_ms=(\\d+)");
    /** Restarts allowed by {@code on_crash: restart} before giving up, so a guest that always crashes cannot loop forever. */
    static final int MAX_RESTARTS = 5;

    private VmRun() {}

    /** Runs the VM to its end (no shutdown hook: the caller stops it, as {@link RunHandle} does). */
    public static int run(RunSpec.VmConsole spec, EventSink events) throws IOException, InterruptedException {
        return run(spec, events, new CurrentProcess(() -> {}));
    }

    static int run(RunSpec.VmConsole spec, EventSink events, CurrentProcess current)
            throws IOException, InterruptedException {
        VmConsoleSpec vm = spec.console();
        events.emit(new Event.Info("booting: " + vm.summary()));
        if (!(vm.snapshots() instanceof VmSnapshots.Cache plan)) {
            String cold = vm.snapshots() instanceof VmSnapshots.Cold c ? c.reason() : null;
            return boot(spec.launch(), vm, events, current, null, cold);
        }
        var snapshotter = new VmSnapshotter(plan, events);
        // What runs killed with SIGKILL left (their sockets), before this run's own directory.
        Scratch.sweep(plan.runDir().getParent());
        Files.createDirectories(
                plan.runDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            if (!plan.refresh() && snapshotter.store().has(plan.key())) {
                var ram = snapshotter.store().ram(plan.key());
                var restored = boot(
                        restoring(spec.launch(), ram),
                        spec.launch(),
                        vm,
                        events,
                        current,
                        snapshotter,
                        new Start.Restore(ram));
                if (restored != RESTORE_FAILED) return restored;
                if (current.stopping()) return ExitCode.INTERRUPTED.code();
                return boot(
                        spec.launch(),
                        vm,
                        events,
                        current,
                        snapshotter,
                        "the snapshot could not be restored (deleted); recording a new one");
            }
            String why = plan.refresh()
                    ? "--snapshot=refresh (or snapshot: refresh); recording a new snapshot"
                    : "no snapshot yet for this image and machine; recording one when the app listens";
            return boot(spec.launch(), vm, events, current, snapshotter, why);
        } finally {
            Scratch.remove(plan.runDir());
        }
    }

    /** How long QEMU gets to end after a failed restore or recording, before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    /** What {@link #boot} returns when a restore failed and the run should boot cold instead. */
    private static final int RESTORE_FAILED = Integer.MIN_VALUE;

    /**
     * The cold boot's command waiting for the snapshot ({@code -incoming defer}), with the guest's
     * memory mapped from the snapshot's RAM file when it has one ({@link VmSnapshotter#ramBacked}).
     */
    static Launch restoring(Launch cold, Optional<SnapshotStore.RamFiles> ram) {
        List<String> cmd;
        if (ram.isPresent()) {
            cmd = VmSnapshotter.ramBacked(cold.command(), ram.get().ram(), false);
        } else {
            cmd = new ArrayList<>(cold.command());
            cmd.addAll(List.of("-incoming", "defer"));
        }
        return new Launch(cmd, cold.environment(), cold.directory(), cold.aotTraining());
    }

    /** How a boot begins: the guest boots from its kernel, or QEMU restores the snapshot into it. */
    private sealed interface Start {
        /** A cold boot; {@code why} is the timeline's reason for it (null: say nothing). */
        record Cold(String why) implements Start {}

        /** A restore of the snapshot, its memory mapped from the snapshot's RAM file when it has one. */
        record Restore(Optional<SnapshotStore.RamFiles> ram) implements Start {}
    }

    /** A cold boot of {@code launch}. */
    private static int boot(
            Launch launch,
            VmConsoleSpec vm,
            EventSink events,
            CurrentProcess current,
            VmSnapshotter snapshotter,
            String cold)
            throws IOException, InterruptedException {
        return boot(launch, launch, vm, events, current, snapshotter, new Start.Cold(cold));
    }

    /**
     * Boots (or restores) the VM and runs it to its end, booting again after a crash when
     * {@code on_crash} says so.
     *
     * @param coldLaunch  the cold boot's launch (a recording makes the snapshot's RAM file with it)
     * @param snapshotter the snapshot's host side, or null without snapshots
     * @param start       a cold boot (and why, for the timeline), or a restore of the snapshot
     *                    ({@link #RESTORE_FAILED} when that fails)
     */
    private static int boot(
            Launch launch,
            Launch coldLaunch,
            VmConsoleSpec vm,
            EventSink events,
            CurrentProcess current,
            VmSnapshotter snapshotter,
            Start start)
            throws IOException, InterruptedException {
        boolean restore = start instanceof Start.Restore;
        String cold = start instanceof Start.Cold c ? c.why() : null;
        if (snapshotter != null && cold != null) events.emit(new Event.Info("snapshot: booting cold: " + cold));
        for (int attempt = 0; ; attempt++) {
            var console = new Console(vm, events, snapshotter, start, coldLaunch);
            Files.createDirectories(vm.consoleLog().getParent());
            int processCode;
            try (var log = Files.newBufferedWriter(vm.consoleLog(), StandardCharsets.UTF_8)) {
                console.log = log;
                var hypervisor = new AppProcess(launch, console, "*", 0);
                console.hypervisor = hypervisor;
                if (!current.start(hypervisor)) return ExitCode.INTERRUPTED.code();
                Thread restorer =
                        restore ? Thread.ofVirtual().name("vm-restore").start(console::restore) : null;
                processCode = hypervisor.awaitExit();
                // Its waits end once QEMU is gone (the monitor closes); then its verdict is known.
                if (restorer != null && !restorer.join(Duration.ofSeconds(30))) console.restoreFailure = "no verdict";
            }
            if (restore && console.restoreFailure != null) {
                if (current.stopping()) return ExitCode.INTERRUPTED.code();
                try {
                    snapshotter.store().delete(snapshotter.plan().key());
                } catch (IOException e) {
                    events.emit(new Event.Warning("could not delete the snapshot: " + e.getMessage()));
                }
                events.emit(new Event.Warning("the snapshot could not be restored (" + console.restoreFailure
                        + "); deleted it; booting cold"));
                return RESTORE_FAILED;
            }
            if (console.exitCode.isPresent()) {
                Files.deleteIfExists(vm.consoleLog());
                return console.exitCode.getAsInt();
            }
            if (console.interrupted || current.stopping()) {
                // Ctrl-C or SIGTERM reached the hypervisor too: the VM is off, as asked.
                Files.deleteIfExists(vm.consoleLog());
                return 130;
            }
            if (processCode != 0 && !console.sawGuest) {
                String last = console.lastLine == null ? "exit " + processCode : console.lastLine;
                throw new BackendException(launch.command().getFirst() + " could not start the VM: " + last);
            }
            switch (vm.onCrash()) {
                case "restart" -> {
                    if (attempt < MAX_RESTARTS) {
                        events.emit(new Event.Warning("the guest crashed; restarting it (on_crash: restart)"));
                        continue;
                    }
                    events.emit(new Event.Warning("the guest crashed " + (attempt + 1) + " times; giving up"));
                    Files.deleteIfExists(vm.consoleLog());
                }
                case "preserve" ->
                    events.emit(new Event.Warning("the guest crashed; its console log is kept: " + vm.consoleLog()));
                default -> {
                    events.emit(new Event.Warning("the guest crashed (no exit code reported)"));
                    Files.deleteIfExists(vm.consoleLog());
                }
            }
            return 1;
        }
    }

    /** Reads the guest's console on the way to the real sink. */
    private static final class Console implements EventSink {
        private final VmConsoleSpec vm;
        private final EventSink next;
        private final VmSnapshotter snapshotter;
        private final String cold;
        private final boolean restore;
        private final Optional<SnapshotStore.RamFiles> ram;
        private final Launch coldLaunch;
        volatile AppProcess hypervisor;
        volatile String restoreFailure;
        private boolean recorded;
        BufferedWriter log;
        volatile OptionalInt exitCode = OptionalInt.empty();
        volatile boolean sawGuest;
        volatile String lastLine;
        volatile boolean interrupted;
        private final long t0 = System.nanoTime();

        /** Guest-clock phases (ms since the kernel started) and the host clock (ms since QEMU started) at each. */
        private final LinkedHashMap<String, long[]> phases = new LinkedHashMap<>();

        Console(VmConsoleSpec vm, EventSink next, VmSnapshotter snapshotter, Start start, Launch coldLaunch) {
            this.vm = vm;
            this.next = next;
            this.snapshotter = snapshotter;
            this.cold = start instanceof Start.Cold c ? c.why() : null;
            this.restore = start instanceof Start.Restore;
            this.ram = start instanceof Start.Restore r ? r.ram() : Optional.empty();
            this.coldLaunch = coldLaunch;
        }

        /** The restore (on its own thread): any failure stops QEMU, and the run boots cold. */
        void restore() {
            try {
                var restored = snapshotter.restore(hypervisor, t0, ram);
                long ms = restored.phases().get("acknowledged");
                synchronized (this) {
                    next.emit(new Event.Info("boot timeline: restored in " + ms
                            + " ms (QEMU start to the reseeded guest's answer; snapshot "
                            + snapshotter.plan().key().hex().substring(0, 12) + ", copy " + restored.generation()
                            + (restored.fromRam()
                                    ? ", memory mapped from its RAM file"
                                    : ", memory loaded from its stream")
                            + "); host clock: QEMU start 0, " + restored.phaseText()));
                    listening(String.join(", ", vm.hostUrls()) + " (restored in " + ms + " ms)");
                }
            } catch (IOException | RuntimeException e) {
                // Some exceptions have no message (a closed channel): the verdict must not be null.
                restoreFailure =
                        e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                hypervisor.stop(STOP_GRACE);
            } catch (InterruptedException e) {
                restoreFailure = "interrupted";
                hypervisor.stop(STOP_GRACE);
            }
        }

        /** Records the snapshot (on its own thread), then says the app listens, through the forwards. */
        private void record(Event.Ready r) {
            try {
                snapshotter.record(hypervisor, coldLaunch, note -> {
                    synchronized (this) {
                        next.emit(new Event.Info(note));
                        if (!phases.isEmpty()) next.emit(new Event.Info(timeline()));
                    }
                });
            } catch (IOException | RuntimeException e) {
                next.emit(new Event.Warning(
                        "could not record a snapshot, stopping the VM (its ports may not be forwarded): "
                                + e.getMessage()));
                hypervisor.stop(STOP_GRACE);
                return;
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                listening(String.join(", ", vm.hostUrls()) + " (in the guest: " + r.detail() + ")");
            }
        }

        private void listening(String detail) {
            next.emit(new Event.Ready("listening", detail, Duration.ofNanos(System.nanoTime() - t0)));
        }

        @Override
        public synchronized void emit(Event event) {
            switch (event) {
                case Event.AppOutput o -> {
                    write(o.line());
                    lastLine = o.line().strip();
                    sawGuest |= o.line().startsWith("[") || o.line().startsWith("mirari-");
                    long ack = RestoreMessage.parseAck(o.line());
                    if (ack >= 0 && snapshotter != null) {
                        snapshotter.acknowledged(ack);
                        return;
                    }
                    if (o.line().startsWith("mirari-vm: ")) {
                        vmLine(o.line(), event);
                        return;
                    }
                    if (TERMINATED.matcher(o.line()).find()) {
                        interrupted = true;
                        return;
                    }
                    var killed = KILLED_INIT.matcher(o.line());
                    if (killed.find()) exitCode = OptionalInt.of((Integer.parseInt(killed.group(1), 16) >> 8) & 0xff);
                    next.emit(event);
                }
                case Event.Ready r -> {
                    write(ReadyLineText.of(r));
                    sawGuest = true;
                    var guest = GUEST_CLOCK.matcher(r.detail());
                    if (guest.find()) phase(r.phase(), Math.round(Double.parseDouble(guest.group(1)) * 1000));
                    if (r.phase().equals("listening") && snapshotter != null && !restore && !recorded) {
                        // Saved before any host port reaches the app; the forwards come after.
                        recorded = true;
                        Thread.ofVirtual().name("vm-snapshot").start(() -> record(r));
                        return;
                    }
                    if (r.phase().equals("listening") && !phases.isEmpty()) next.emit(new Event.Info(timeline()));
                    if (r.phase().equals("listening") && !vm.hostUrls().isEmpty()) {
                        next.emit(new Event.Ready(
                                r.phase(),
                                String.join(", ", vm.hostUrls()) + " (in the guest: " + r.detail() + ")",
                                r.sinceStart()));
                    } else {
                        next.emit(event);
                    }
                }
                default -> next.emit(event);
            }
        }

        private void vmLine(String line, Event original) {
            var exit = EXIT.matcher(line);
            if (exit.find()) {
                exitCode = OptionalInt.of(Integer.parseInt(exit.group(1)));
                return;
            }
            var boot = BOOT_MS.matcher(line);
            String at = boot.find()
                    ? String.format(java.util.Locale.ROOT, "guest clock %.2f s", Long.parseLong(boot.group(1)) / 1000.0)
                    : "";
            if (boot.find(0) && !line.startsWith("mirari-vm: kernel ")) {
                phase(line.substring("mirari-vm: ".length()).split(" ", 2)[0], Long.parseLong(boot.group(1)));
            }
            if (line.startsWith("mirari-vm: kernel ")) {
                // From the kernel's log (dmesg), printed by the init while the JVM starts.
                var a = UNPACK.matcher(line);
                if (a.find()) {
                    phases.put("unpack-start", new long[] {Long.parseLong(a.group(1)), -1});
                    phases.put("unpack-end", new long[] {Long.parseLong(a.group(2)), -1});
                }
            } else if (line.startsWith("mirari-vm: modules ")
                    || line.startsWith("mirari-vm: mounted ")
                    || line.startsWith("mirari-vm: jvm ")) {
                // Phases only, for the timeline.
            } else if (line.startsWith("mirari-vm: init ")) {
                next.emit(new Event.Ready(
                        "init", "kernel booted, init started (" + at + ")", Duration.ofNanos(System.nanoTime() - t0)));
            } else if (line.startsWith("mirari-vm: aot ")) {
                // The guest JVM's own word on the image's AOT cache ("Using AOT-linked classes: true"), or
                // why it could not use it ("aot error: Unable to map shared spaces"): a slower start.
                String said = line.substring("mirari-vm: aot ".length());
                next.emit(
                        said.startsWith("warning: ") || said.startsWith("error: ")
                                ? new Event.Warning("guest JVM: AOT cache: " + said)
                                : new Event.Info("guest JVM: AOT cache: " + said));
            } else if (line.startsWith("mirari-vm: user-data ")) {
                // An EC2 image's init on the instance's user data: what it applied, or why nothing.
                next.emit(new Event.Info("user data: " + line.substring("mirari-vm: user-data ".length())));
            } else if (line.startsWith("mirari-vm: restore-trace ")) {
                // MIRARI_RESTORE_TRACE=1: the restored guest's own account of its restore (RestoreTrace).
                next.emit(new Event.Info("restore trace: " + line.substring("mirari-vm: restore-trace ".length())));
                var gen = TRACE_GEN.matcher(line);
                if (gen.find() && snapshotter != null) snapshotter.traced(Long.parseLong(gen.group(1)));
            } else if (line.startsWith("mirari-vm: network ")) {
                // The app's runtime reports the network itself; nothing to add.
            } else {
                next.emit(new Event.Warning(line.substring("mirari-vm: ".length())));
            }
        }

        private void phase(String name, long guestMs) {
            phases.putIfAbsent(name, new long[] {guestMs, (System.nanoTime() - t0) / 1_000_000});
        }

        /**
         * Where the boot went, once the app listens: {@code boot timeline: host clock: QEMU start 0, init
         * 5.41, listening 9.87 s; guest clock: kernel 0-5.40 (initramfs unpacked 0.52-3.10), modules
         * 5.70, network 6.50, JVM start 6.55, listening 9.80 s}.
         */
        String timeline() {
            var host = new StringBuilder("boot timeline: ");
            if (cold != null) host.append("cold: ").append(cold).append("; ");
            host.append("host clock: QEMU start 0");
            var guest = new StringBuilder("; guest clock: kernel 0");
            long[] init = phases.get("init");
            if (init != null) guest.append('-').append(secs(init[0]));
            long[] us = phases.get("unpack-start");
            long[] ue = phases.get("unpack-end");
            if (us != null && ue != null)
                guest.append(" (initramfs unpacked ")
                        .append(secs(us[0]))
                        .append('-')
                        .append(secs(ue[0]))
                        .append(')');
            for (var e : phases.entrySet()) {
                String name = e.getKey();
                if (name.startsWith("unpack-")) continue;
                String label = name.equals("jvm") ? "JVM start" : name;
                if (e.getValue()[1] >= 0 && (name.equals("init") || name.equals("listening")))
                    host.append(", ").append(label).append(' ').append(secs(e.getValue()[1]));
                if (!name.equals("init"))
                    guest.append(", ").append(label).append(' ').append(secs(e.getValue()[0]));
            }
            return host.append(" s").append(guest).append(" s").toString();
        }

        private static String secs(long ms) {
            return String.format(java.util.Locale.ROOT, "%.2f", ms / 1000.0);
        }

        private void write(String line) {
            try {
                log.write(line);
                log.newLine();
                log.flush();
            } catch (IOException e) {
                // The log is a convenience; the console is still shown.
            }
        }
    }

    /** A readiness event as a console line again, for the log. */
    private static final class ReadyLineText {
        static String of(Event.Ready r) {
            return ReadyLine.PREFIX + r.phase() + " " + r.detail();
        }
    }
}
