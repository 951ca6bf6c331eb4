package org.mirari.tool.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.mirari.runtime.console.ReadyLine;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.backend.VmConsoleSpec;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ExitCode;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

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
        Launch launch = spec.launch();
        VmConsoleSpec vm = spec.console();
        events.emit(new Event.Info("booting: " + vm.summary()));
        for (int attempt = 0; ; attempt++) {
            var console = new Console(vm, events);
            Files.createDirectories(vm.consoleLog().getParent());
            int processCode;
            try (var log = Files.newBufferedWriter(vm.consoleLog(), StandardCharsets.UTF_8)) {
                console.log = log;
                var hypervisor = new AppProcess(launch, console, "*", 0);
                if (!current.start(hypervisor)) return ExitCode.INTERRUPTED.code();
                processCode = hypervisor.awaitExit();
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
        BufferedWriter log;
        volatile OptionalInt exitCode = OptionalInt.empty();
        volatile boolean sawGuest;
        volatile String lastLine;
        volatile boolean interrupted;
        private final long t0 = System.nanoTime();
        /** Guest-clock phases (ms since the kernel started) and the host clock (ms since QEMU started) at each. */
        private final java.util.LinkedHashMap<String, long[]> phases = new java.util.LinkedHashMap<>();

        Console(VmConsoleSpec vm, EventSink next) {
            this.vm = vm;
            this.next = next;
        }

        @Override
        public synchronized void emit(Event event) {
            switch (event) {
                case Event.AppOutput o -> {
                    write(o.line());
                    lastLine = o.line().strip();
                    sawGuest |= o.line().startsWith("[") || o.line().startsWith("mirari-");
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
                // The guest JVM's own word on the image's AOT cache ("Using AOT-linked classes: true").
                next.emit(new Event.Info("guest JVM: AOT cache: " + line.substring("mirari-vm: aot ".length())));
            } else if (line.startsWith("mirari-vm: user-data ")) {
                // An EC2 image's init on the instance's user data: what it applied, or why nothing.
                next.emit(new Event.Info("user data: " + line.substring("mirari-vm: user-data ".length())));
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
            var host = new StringBuilder("boot timeline: host clock: QEMU start 0");
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
