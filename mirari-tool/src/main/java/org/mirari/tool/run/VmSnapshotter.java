package org.mirari.tool.run;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirari.runtime.console.RestoreMessage;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.backend.VmSnapshots;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.Orphans;
import org.mirari.tool.json.JsonString;
import org.mirari.tool.scratch.Scratch;
import org.mirari.tool.snapshot.Qmp;
import org.mirari.tool.snapshot.QmpReply;
import org.mirari.tool.snapshot.SnapshotStore;

/**
 * The host side of a QEMU run's snapshot, through QEMU's monitor: saving the VM once its app
 * listens (before any host port reaches it), restoring a saved one, and for both the restore line
 * on the guest's control port, the wait for its acknowledgement and only then the port forwards.
 * Every wait has a deadline; a restore that fails in any way stops its QEMU, so the run can boot
 * cold instead of hanging.
 */
final class VmSnapshotter {
    /** A save of hello under TCG takes 0.1-0.5 s; a loaded machine may take much longer. */
    static final Duration SAVE = Duration.ofMinutes(2);
    /** A restore's stream is read in about 0.2 s; a loaded machine may take longer. */
    static final Duration LOAD = Duration.ofMinutes(1);
    /** From the restore line to the guest's answer (the init and the JVM reseed, the hooks run). */
    static final Duration ACK = Duration.ofSeconds(30);

    static final Duration COMMAND = Duration.ofSeconds(20);
    /** The guest's restore trace comes right after its answer (MIRARI_RESTORE_TRACE=1). */
    static final Duration TRACE = Duration.ofSeconds(10);
    /** Saving is throttled to 128 MiB/s by default (QEMU's max-bandwidth); a local file needs no limit. */
    static final long BANDWIDTH = 64L << 30;

    private final VmSnapshots.Cache plan;
    private final SnapshotStore store;
    private final EventSink events;
    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingQueue<Long> acks = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Long> traces = new LinkedBlockingQueue<>();

    VmSnapshotter(VmSnapshots.Cache plan, EventSink events) {
        this.plan = plan;
        this.store = new SnapshotStore(plan.store());
        this.events = events;
    }

    SnapshotStore store() {
        return store;
    }

    VmSnapshots.Cache plan() {
        return plan;
    }

    /** The guest acknowledged the restore of generation {@code gen} (seen on its console). */
    void acknowledged(long gen) {
        acks.add(gen);
    }

    /** The guest reported the trace of generation {@code gen}'s restore ({@code MIRARI_RESTORE_TRACE=1}). */
    void traced(long gen) {
        traces.add(gen);
    }

    /**
     * Rehearses a restore (generation 0), saves the stopped VM into the cache (and its RAM file),
     * lets it run, tells it to diverge (generation 0 again), then forwards the host ports, so that the VM that
     * served first shares no RNG state with its future copies. {@code recorded} gets a note for the
     * timeline before the ports are forwarded. A save that fails only costs the snapshot.
     */
    void record(AppProcess vm, Launch cold, Consumer<String> recorded) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String note;
        try (var qmp = Qmp.connect(plan.qmp(), COMMAND, vm::alive)) {
            // A rehearsal first: the whole restore path (the init's reader, the reseed, the runtime's
            // listener, the app's hooks, the answer) runs once before the snapshot, so that every copy
            // finds that code loaded and compiled. Measured under TCG: a copy's answer came 0.4-0.6 s
            // sooner. Its seeds are in the snapshot, and every copy mixes fresh ones on top.
            if (!announce(0, vm, () -> {}))
                events.emit(
                        new Event.Warning(
                                "the VM did not answer its rehearsal of a restore; the snapshot is taken anyway (restores may be slower)"));
            Path tmp = store.newTemporary();
            boolean saved = false;
            try {
                qmp.execute("migrate-set-parameters", "\"max-bandwidth\":" + BANDWIDTH, COMMAND);
                qmp.execute("stop", "", COMMAND);
                qmp.execute("migrate", execUri("zstd -1 -q -T1 -o", tmp.resolve(SnapshotStore.STATE)), COMMAND);
                String status = awaitMigration(qmp, SAVE);
                if (status.equals("completed")) {
                    long size = Files.size(tmp.resolve(SnapshotStore.STATE));
                    store.commit(tmp, plan.key());
                    saved = true;
                    note = String.format(
                            Locale.ROOT,
                            "snapshot recorded in %d ms (%.1f MB, %s)",
                            (System.nanoTime() - t0) / 1_000_000,
                            size / 1e6,
                            store.entry(plan.key()));
                    // While this VM is stopped, so that the two QEMUs do not share the CPU.
                    try {
                        note += "; " + prepareRam(cold);
                    } catch (IOException e) {
                        events.emit(new Event.Warning(
                                "no RAM file for fast restores (restores load the stream): " + e.getMessage()));
                    }
                } else {
                    note = "no snapshot recorded: QEMU's migration " + status;
                    events.emit(new Event.Warning(note));
                }
            } finally {
                if (!saved) Scratch.remove(tmp);
            }
            qmp.execute("cont", "", COMMAND);
            // Diverged before any host port reaches it: its first answers must not come from the RNG
            // state that every copy restored from the snapshot starts with.
            if (!announce(0, vm, () -> {}))
                events.emit(
                        new Event.Warning(
                                "the VM did not acknowledge its reseed after the snapshot; it shares the snapshot's RNG state"));
            try {
                int evicted = store.evict(plan.capBytes(), plan.key());
                if (evicted > 0)
                    note += "; " + evicted + " older snapshot(s) evicted (cap " + (plan.capBytes() >> 20) + " MiB)";
            } catch (IOException e) {
                events.emit(new Event.Warning("could not trim the snapshot cache: " + e.getMessage()));
            }
            recorded.accept(note);
            forward(qmp);
        }
    }

    /**
     * A restore that worked: the copy's generation and where its time went, each phase as the
     * milliseconds since QEMU started (in order: {@code monitor} answered, stream {@code loaded},
     * {@code resumed}, line {@code sent}, {@code acknowledged}, {@code forwarded}).
     */
    record Restored(long generation, SequencedMap<String, Long> phases, boolean fromRam) {
        /** {@code monitor 80, loaded 300, ...} for the timeline. */
        String phaseText() {
            var b = new StringBuilder();
            phases.forEach((k, v) ->
                    b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
            return b.append(" ms").toString();
        }
    }

    /**
     * Restores the saved VM into the QEMU just started with {@code -incoming defer} (at {@code t0},
     * {@link System#nanoTime}), gives it its generation, seed and time, waits for its
     * acknowledgement, then forwards the host ports. Throws when any step fails (the caller stops
     * QEMU and boots cold).
     */
    Restored restore(AppProcess vm, long t0, Optional<SnapshotStore.RamFiles> ram)
            throws IOException, InterruptedException {
        var phases = new LinkedHashMap<String, Long>();
        try (var qmp = Qmp.connect(plan.qmp(), COMMAND, vm::alive)) {
            phases.put("monitor", since(t0));
            if (ram.isPresent()) {
                // The memory is the RAM file, mapped copy-on-write by this QEMU's command (ramBacked):
                // only the devices' state is read.
                qmp.execute("migrate-set-capabilities", IGNORE_SHARED, COMMAND);
                qmp.execute("migrate-incoming", execUri("cat", ram.get().devices()), COMMAND);
            } else {
                qmp.execute("migrate-incoming", execUri("zstd -dc -q", store.state(plan.key())), COMMAND);
            }
            String status = awaitMigration(qmp, LOAD);
            if (!status.equals("completed")) throw new IOException("QEMU's incoming migration " + status);
            phases.put("loaded", since(t0));
            // A VM saved while stopped arrives paused.
            qmp.execute("cont", "", COMMAND);
            phases.put("resumed", since(t0));
            long gen = store.nextGeneration(plan.key());
            if (!announce(gen, vm, () -> phases.put("sent", since(t0))))
                throw new IOException("the restored guest did not acknowledge within " + ACK.toSeconds() + " s");
            phases.put("acknowledged", since(t0));
            forward(qmp);
            phases.put("forwarded", since(t0));
            return new Restored(gen, phases, ram.isPresent());
        }
    }

    /**
     * The {@code uri} argument of QEMU's {@code migrate} or {@code migrate-incoming} for a stream
     * through {@code shell} (a command and its options, or a redirection) applied to {@code file}:
     * QEMU 7.2 has no {@code file:} URI, so every stream goes through {@code exec:}.
     */
    private static String execUri(String shell, Path file) {
        return "\"uri\":" + JsonString.of("exec:" + shell + " " + RunSpec.shellQuote(file.toString()));
    }

    /** QEMU's capability that leaves memory in a shared file out of a migration (since 4.0). */
    static final String IGNORE_SHARED = "\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]";

    /** The id of microvm's RAM: a memory backend of another name would not take the stream's pages. */
    static final String RAM_ID = "microvm.ram";

    /**
     * {@code command} (a cold boot's) waiting for a migration, with the guest's memory in {@code ram}
     * ({@code memory-backend-file}): {@code share=on} writes the memory into the file (to make it),
     * {@code share=off} maps it copy-on-write (MAP_PRIVATE, as Firecracker loads a snapshot's memory),
     * so any number of restores share its pages in the host's page cache and none ever writes to it.
     */
    static List<String> ramBacked(List<String> command, Path ram, boolean share) {
        int m = command.indexOf("-m");
        if (m < 0 || m + 1 >= command.size() || !command.get(m + 1).matches("\\d{1,7}"))
            throw new IllegalArgumentException("the QEMU command has no -m MIB");
        var cmd = new ArrayList<>(command);
        cmd.addAll(List.of(
                "-object",
                "memory-backend-file,id=" + RAM_ID + ",size=" + command.get(m + 1) + "M,mem-path="
                        + ram.toString().replace(",", ",,") + ",share=" + (share ? "on" : "off"),
                "-machine",
                "memory-backend=" + RAM_ID,
                "-incoming",
                "defer"));
        return cmd;
    }

    /**
     * Makes the snapshot's RAM file and device state from its stream ({@link SnapshotStore#ram}): a
     * QEMU of the same machine, whose guest never runs, loads the stream into memory kept in a shared
     * file, then saves its devices alone ({@code x-ignore-shared}: memory in a shared file is not
     * sent). A restore then maps that file instead of decompressing and loading the whole stream
     * (measured under TCG at load 2.7: the stream loaded 0.36-0.54 s after QEMU's monitor answered, the
     * devices 0.01-0.02 s). Its own monitor socket and console, since the recording QEMU still runs.
     * Returns a note for the timeline; throws when it fails (then restores load the stream).
     */
    String prepareRam(Launch cold) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        var made = store.newRam(plan.key());
        Path monitor = plan.runDir().resolve("ram-qmp.sock");
        Path log = plan.runDir().resolve("ram-qemu.log");
        var cmd = new ArrayList<String>();
        for (String w : ramBacked(cold.command(), made.ram(), true))
            cmd.add(
                    w.startsWith("stdio,id=console")
                            ? "null,id=console"
                            : w.replace(plan.qmp().toString(), monitor.toString())
                                    .replace(
                                            plan.control().toString(),
                                            plan.runDir()
                                                    .resolve("ram-control.sock")
                                                    .toString()));
        // Started guarded (Orphans): a SIGKILL of the tool while it works kills it too. Ctrl-C or
        // SIGTERM must not leave it waiting for commands that never come either: the hook below.
        var process = Orphans.start(new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()));
        Thread reaper = new Thread(process::destroyForcibly, "mirari-ram-qemu-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean made0 = false;
        try (var qmp = Qmp.connect(monitor, COMMAND, process::isAlive)) {
            qmp.execute("migrate-incoming", execUri("zstd -dc -q", store.state(plan.key())), COMMAND);
            String in = awaitMigration(qmp, LOAD);
            if (!in.equals("completed")) throw new IOException("loading the stream: " + in);
            qmp.execute("migrate-set-capabilities", IGNORE_SHARED, COMMAND);
            qmp.execute("migrate-set-parameters", "\"max-bandwidth\":" + BANDWIDTH, COMMAND);
            qmp.execute("migrate", execUri("cat >", made.devices()), COMMAND);
            String out = awaitMigration(qmp, SAVE);
            if (!out.equals("completed")) throw new IOException("saving the devices: " + out);
            try {
                qmp.execute("quit", "", COMMAND);
            } catch (IOException e) {
                // it quit before answering
            }
            made0 = process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS) && process.exitValue() == 0;
            if (!made0) throw new IOException("QEMU did not quit after saving");
        } catch (IOException e) {
            String said = Files.exists(log) ? Files.readString(log).strip() : "";
            throw new IOException(e.getMessage() + (said.isEmpty() ? "" : " (QEMU: " + said + ")"), e);
        } finally {
            if (process.isAlive()) process.destroyForcibly().waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs, and finds it gone
            }
            if (!made0) store.discardRam(made);
            Files.deleteIfExists(log);
        }
        var files = store.commitRam(plan.key(), made);
        return String.format(
                Locale.ROOT,
                "RAM file for fast restores made in %d ms (%d MiB, sparse)",
                (System.nanoTime() - t0) / 1_000_000,
                Files.size(files.ram()) >> 20);
    }

    /** How long QEMU gets to quit once asked. */
    private static final Duration STOP = Duration.ofSeconds(10);

    private static long since(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Writes the restore line to the guest's control port and waits for the acknowledgement. */
    private boolean announce(long gen, AppProcess vm, Runnable sent) throws IOException, InterruptedException {
        byte[] seed = new byte[32], jseed = new byte[32];
        random.nextBytes(seed);
        random.nextBytes(jseed);
        var message = new RestoreMessage(
                gen, System.currentTimeMillis(), seed, jseed, plan.trace() ? Map.of("trace", "1") : Map.of());
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(plan.control()));
            var buf = ByteBuffer.wrap((message.line() + "\n").getBytes(StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) ch.write(buf);
            sent.run();
            // The socket stays open until the answer: QEMU reads it as the guest's UART takes bytes.
            long deadline = System.nanoTime() + ACK.toNanos();
            while (System.nanoTime() < deadline) {
                Long got = acks.poll(50, TimeUnit.MILLISECONDS);
                if (got != null && got == gen) {
                    awaitTrace(gen);
                    return true;
                }
                if (got == null && !vm.alive()) throw new IOException("QEMU ended before the guest answered");
            }
            return false;
        }
    }

    /**
     * With a trace asked for, waits (a few seconds at most) for the guest's report, which it prints
     * after its answer: before a snapshot, so that no copy inherits a report half-written; before the
     * forwards, so that reading it back does not slow the first request.
     */
    private void awaitTrace(long gen) throws InterruptedException {
        if (!plan.trace()) return;
        long deadline = System.nanoTime() + TRACE.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Long got = traces.poll(left, TimeUnit.NANOSECONDS);
            if (got != null && got == gen) return;
        }
        events.emit(new Event.Warning("the guest sent no restore trace for copy " + gen));
    }

    private void forward(Qmp qmp) throws IOException, InterruptedException {
        for (String rule : plan.hostForwards()) {
            String answer = qmp.human("hostfwd_add n0 " + rule, COMMAND);
            if (!answer.isEmpty()) throw new IOException("hostfwd_add " + rule + ": " + answer);
        }
    }

    /** Polls {@code query-migrate} until the migration ends; its last status. */
    private static String awaitMigration(Qmp qmp, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var r = qmp.execute("query-migrate", "", COMMAND);
            String status = QmpReply.status(r).orElse("none");
            switch (status) {
                case "completed", "failed", "cancelled" -> {
                    if (status.equals("failed"))
                        return QmpReply.errorDescription(r)
                                .map(d -> "failed: " + d)
                                .orElse(status);
                    return status;
                }
                default -> {}
            }
            if (System.nanoTime() > deadline) return "did not finish within " + timeout.toSeconds() + " s";
            Thread.sleep(10); // QEMU 7.2 has no event that a polling-free wait could use here on every path
        }
    }
}
