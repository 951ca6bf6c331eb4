package org.mirari.runtime.internal.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mirari.runtime.Restore;
import org.mirari.runtime.RestoreHook;
import org.mirari.runtime.console.RestoreMessage;

/**
 * Waits on the FIFO the VM's init makes ({@code /run/mirari-restore}) for the words of each
 * {@code mirari-restore} line, after the init has set the clock and reseeded the kernel's RNG. For
 * each: mixes the line's {@code jseed} into the JVM's {@code SecureRandom}, runs the app's hooks,
 * then prints {@code mirari-restored gen=N}; the tool forwards host ports to the app only after that.
 *
 * <p>Why {@code setSeed} on one instance is enough: on Linux the default {@code SecureRandom} (and so
 * {@code UUID.randomUUID()}) is NativePRNG, whose every instance returns {@code /dev/urandom} XOR one
 * shared SHA1PRNG, and {@code setSeed} mixes into that shared generator. DRBG instances the app made
 * itself are not reached: its hook must {@code reseed()} them.
 */
public final class RestoreListener {
    /** Where the init makes the FIFO; a system property moves it (tests). */
    static final String FIFO_PROPERTY = "mirari.restore.fifo";

    static final String DEFAULT_FIFO = "/run/mirari-restore";

    private static final List<RestoreHook> HOOKS = new CopyOnWriteArrayList<>();
    private static volatile boolean started;

    private final Path fifo;
    private final Path kmsg;
    private final PrintStream out;
    private final PrintStream err;
    private final SecureRandom random;

    RestoreListener(Path fifo, PrintStream out, PrintStream err) {
        this(fifo, Path.of(RestoreTrace.DEFAULT_KMSG), out, err);
    }

    RestoreListener(Path fifo, Path kmsg, PrintStream out, PrintStream err) {
        this.fifo = fifo;
        this.kmsg = kmsg;
        this.out = out;
        this.err = err;
        this.random = new SecureRandom();
    }

    /** Adds a hook (see {@link org.mirari.runtime.Mirari#afterRestore}). */
    public static void register(RestoreHook hook) {
        HOOKS.add(java.util.Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Starts the listener when this JVM runs in a VM whose init made the FIFO (a restorable VM);
     * elsewhere does nothing. The thread is a daemon: it never keeps the app alive.
     */
    public static synchronized void startIfRestorable(PrintStream out, PrintStream err) {
        if (started) return;
        Path fifo = Path.of(System.getProperty(FIFO_PROPERTY, DEFAULT_FIFO));
        if (!Files.exists(fifo)) return;
        started = true;
        var listener = new RestoreListener(fifo, out, err);
        Thread.ofPlatform().daemon().name("mirari-restore").start(listener::run);
    }

    /** Whether this JVM runs in a restorable VM (the listener was started). */
    public static boolean restorable() {
        return started;
    }

    /**
     * The request {@link #primeServer} sends: {@code GET /} from loopback, marked so that an app that
     * must not count it can tell ({@code Mirari-Priming: snapshot}), and closed after its answer.
     */
    static final String PRIMING_REQUEST =
            "GET / HTTP/1.1\r\nHost: localhost\r\nMirari-Priming: snapshot\r\n" + "Connection: close\r\n\r\n";

    /**
     * Sends the app at {@code address} one request and reads its answer, before it is reported
     * listening and so before the snapshot is taken: the server's and the app's code is then loaded,
     * initialized and compiled in every copy (measured under TCG: a copy's first request took
     * 0.6-1.1 s unprimed, 0.06 s primed), and restore hooks that the app's classes register when they
     * are initialized are in place for the restores. This is what SnapStart calls priming. Any
     * failure only costs that time.
     */
    public static void primeServer(java.net.InetSocketAddress address) {
        var target = address.getAddress().isAnyLocalAddress()
                ? new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), address.getPort())
                : address;
        try (var s = new java.net.Socket()) {
            s.connect(target, 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(PRIMING_REQUEST.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.getInputStream().readAllBytes(); // the server closes after an error answer
        } catch (IOException e) {
            // only slower restores
        }
    }

    private void run() {
        warmUp();
        while (true) {
            // The init's reader (mirari-reseed) holds the FIFO open and writes one line per restore; should
            // a writer ever close it, read to its end and open it again.
            try (var in =
                    new BufferedReader(new InputStreamReader(Files.newInputStream(fifo), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) handle(line);
            } catch (IOException e) {
                err.println("mirari-vm: restore: cannot read " + fifo + ": " + e.getMessage());
                return;
            }
        }
    }

    /**
     * Everything a restore runs, once before the snapshot: under TCG the first use of a class costs
     * milliseconds that a restore would otherwise pay before its first answer.
     */
    private void warmUp() {
        byte[] zeros = new byte[32];
        RestoreMessage.parse(new RestoreMessage(0, 0, zeros, zeros, java.util.Map.of()).line());
        appSeed(zeros);
        random.nextLong();
        java.util.UUID.randomUUID();
    }

    /** One restore: reseed, hooks, acknowledgement. A bad line is reported and not acknowledged. */
    void handle(String line) {
        var trace = RestoreTrace.of(line, kmsg);
        RestoreMessage m;
        try {
            m = RestoreMessage.parse(line);
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("mirari-vm: restore: ignoring a bad restore line: " + e.getMessage());
            return;
        }
        trace.step("parsed");
        random.setSeed(m.jvmSeed());
        trace.step("seeded");
        var restore = new Restore(
                m.generation(), Instant.ofEpochMilli(m.epochMillis()), appSeed(m.jvmSeed()), m.parameters());
        for (var hook : HOOKS) {
            try {
                hook.afterRestore(restore);
            } catch (Exception | LinkageError e) {
                err.println("mirari-vm: restore: a restore hook failed: " + e);
                e.printStackTrace(err);
            }
        }
        trace.step("hooks");
        out.println(RestoreMessage.ack(m.generation()));
        out.flush();
        trace.step("acknowledged");
        String report = trace.report(m.generation());
        if (report != null) {
            out.println(report);
            out.flush();
        }
    }

    /** The app's seed: derived from, and not equal to, what was mixed into SecureRandom. */
    static byte[] appSeed(byte[] jvmSeed) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update("mirari app seed".getBytes(StandardCharsets.US_ASCII));
            return sha.digest(jvmSeed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
