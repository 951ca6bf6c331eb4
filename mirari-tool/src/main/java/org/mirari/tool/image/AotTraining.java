package org.mirari.tool.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.Orphans;
import org.mirari.tool.scratch.Scratch;

/**
 * The app's AOT cache (JEP 514/515, {@code -XX:AOTCacheOutput}), trained on the build host for
 * the guest: the guest's own linked runtime, its argument file ({@code /app/jvm.args}: GC, heap,
 * flags) and its jars at the same relative paths ({@code app/lib/...}, resolved against {@code /}
 * in the guest and against a staging directory here) with the same mtime, which is what the JVM
 * checks before it maps a cache, and the guest's environment ({@link #ENVIRONMENT}). The training run starts the app, sends it {@code GET /} once it
 * says it listens (and, when the conf asks for HTTPS, {@code GET /} over TLS, once with HTTP/1.1
 * and once with HTTP/2; the handshake's classes, JSSE's, x25519's, ECDSA's, HKDF's,
 * AES-GCM's and the h2 session's, are a few hundred that a guest under emulation would otherwise
 * load and link from the runtime image when its first client connects), and stops it (SIGTERM);
 * the JVM writes the cache as it exits.
 *
 * <p>The cache is not byte-reproducible: two trainings of the same inputs give different bytes
 * (it holds the run's method profiles and object identities). So a trained cache is kept under a
 * hash of everything that goes into it ({@code <cache>/aot/<hash>.aot}), and a rebuild of the
 * same inputs reuses it: the image is byte-identical on this machine, not across machines. The VM
 * images and the OCI images ({@code pipeline.OciBuild}) train it alike.
 */
public final class AotTraining {
    /** A bump invalidates every cached training (change it with the training's protocol). */
    private static final String VERSION = "aot-4"; // 2: the HTTPS requests; 3: the guest's environment; 4: Code

    /**
     * Whether the cache also holds machine code: the JVM's call adapters between interpreted and
     * compiled code ({@code -XX:+AOTAdapterCaching}), which the guest then maps instead of
     * generating about 400 of them while it starts. JDK 25 stores them as machine code for the CPU
     * features of the JVM that trained, and does not check the features of the JVM that maps them:
     * trained on this host's (AVX-512 and the rest) they died with SIGILL under TCG. So they are
     * trained with the features the guest's JVM picks.
     */
    public enum Code {
        /**
         * No machine code: for a JVM on a CPU not known at build time (the OCI image), which also
         * runs with {@code -XX:-AOTAdapterCaching}.
         */
        NONE(List.of("-XX:-AOTAdapterCaching")),
        /**
         * The adapters, made for QEMU's {@code qemu64} CPU, the VM guest's under TCG (an AMD family 15
         * model with SSE3 and nothing newer): every flag that JDK 25 derives from the CPU set to
         * what {@code -XX:+PrintFlagsFinal} prints in that guest, so that the training JVM's
         * choices equal the guest's. Under KVM ({@code -cpu host}), Xen and EC2 the guest's CPU has
         * all of these features and more, so the code runs there too. In the guest this bought
         * 0.5-0.8 s of the JVM's start to listening (README, vm-aot).
         */
        QEMU64(List.of(
                "-XX:+AOTAdapterCaching",
                "-XX:UseAVX=0",
                "-XX:UseSSE=3",
                "-XX:+AlignVector",
                "-XX:AllocatePrefetchInstr=0",
                "-XX:ArrayOperationPartialInlineSize=0",
                "-XX:MaxLoopPad=15",
                "-XX:MaxVectorSize=16",
                "-XX:-OptimizeFill",
                "-XX:-UseAES",
                "-XX:-UseAESCTRIntrinsics",
                "-XX:-UseAESIntrinsics",
                "-XX:-UseAdler32Intrinsics",
                "-XX:-UseBASE64Intrinsics",
                "-XX:-UseBMI1Instructions",
                "-XX:-UseBMI2Instructions",
                "-XX:-UseCLMUL",
                "-XX:-UseCRC32CIntrinsics",
                "-XX:-UseCRC32Intrinsics",
                "-XX:-UseChaCha20Intrinsics",
                "-XX:-UseCountLeadingZerosInstruction",
                "-XX:-UseCountTrailingZerosInstruction",
                "-XX:-UseDilithiumIntrinsics",
                "-XX:-UseFMA",
                "-XX:-UseFPUForSpilling",
                "-XX:-UseFastStosb",
                "-XX:-UseGHASHIntrinsics",
                "-XX:-UseIntPolyIntrinsics",
                "-XX:-UseKyberIntrinsics",
                "-XX:+UseNewLongLShift",
                "-XX:-UsePoly1305Intrinsics",
                "-XX:-UsePopCountInstruction",
                "-XX:-UseSHA",
                "-XX:-UseSHA1Intrinsics",
                "-XX:-UseSHA256Intrinsics",
                "-XX:-UseSHA3Intrinsics",
                "-XX:-UseSHA512Intrinsics",
                "-XX:-UseSSE42Intrinsics",
                "-XX:+UseStoreImmI16",
                "-XX:-UseUnalignedLoadStores",
                "-XX:-UseVectorizedHashCodeIntrinsic",
                "-XX:-UseVectorizedMismatchIntrinsic",
                "-XX:-UseXMMForArrayCopy",
                "-XX:-UseXMMForObjInit",
                "-XX:-UseXmmLoadAndClearUpper",
                "-XX:-UseXmmRegToRegMoveAll",
                "-XX:X86ICacheSync=1"));

        /** The training JVM's options for this choice (after {@code -XX:+UnlockDiagnosticVMOptions}). */
        final List<String> options;

        Code(List<String> options) {
            this.options = options;
        }
    }

    /**
     * The training JVM's whole environment: what the guest's JVM has, which is what Linux gives its
     * init ({@code HOME=/}, {@code TERM=linux}) and no locale variables (an OCI container has none
     * either). The locale decides the JVM's native encodings: with the build host's
     * {@code LANG=C.UTF-8} the training ran on UTF-8, the guest on {@code ANSI_X3.4-1968}, so the
     * guest loaded and initialized the charset classes that resolve that name
     * ({@code StandardCharsets$Aliases}, {@code PreHashedMap}, {@code US_ASCII$Encoder}, ...) from
     * the runtime image, not from the cache: six classes and their static initializers, interpreted
     * under TCG, before the app's {@code main}. Nothing of the host's environment (its
     * {@code JAVA_TOOL_OPTIONS}, its {@code MIRARI_*} boot parameters) reaches the training either.
     */
    static final Map<String, String> ENVIRONMENT = Map.of("HOME", "/", "TERM", "linux");

    private static final long READY_SECONDS = 60;
    private static final long EXIT_SECONDS = 120;

    private final Path cache;
    private final EventSink events;

    public AotTraining(Path cacheDir, EventSink events) {
        this.cache = cacheDir.resolve("aot");
        this.events = events;
    }

    /**
     * The trained cache for the guest layout {@code files} (guest path without the leading slash to
     * host file), or empty when training failed (the image then keeps the default CDS archive).
     *
     * @param jre      the linked runtime the guest runs
     * @param files    the app's files by guest path ({@code app/lib/hello.jar}, {@code app/kv/x.kv})
     * @param jvmArgs  the argument file's text, as in the guest
     * @param mtime    the entries' mtime in the initramfs, seconds since the epoch
     * @param code     whether the cache holds machine code, and for which CPU
     */
    public Optional<Path> train(Path jre, Map<String, Path> files, String jvmArgs, long mtime, Code code)
            throws IOException {
        String key = key(jre, files, jvmArgs + "\n" + code.options, mtime);
        Path done = cache.resolve(key + ".aot");
        if (Files.isRegularFile(done)) return Optional.of(done);
        Scratch.sweep(cache);
        Path stage = Scratch.directory(cache, "train");
        try {
            for (var f : files.entrySet()) {
                Path to = stage.resolve(f.getKey());
                Files.createDirectories(to.getParent());
                Files.copy(f.getValue(), to, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(to, FileTime.from(mtime, TimeUnit.SECONDS));
            }
            Files.createDirectories(stage.resolve("app"));
            Files.writeString(stage.resolve("app/jvm.args"), jvmArgs);
            Path out = stage.resolve("app.aot");
            events.emit(new Event.Activity("AOT cache: a training run of the app"));
            String why = run(jre, stage, out, code);
            if (why != null) {
                events.emit(new Event.Warning("AOT cache: training failed (" + why
                        + "); the image uses the runtime's default CDS archive instead"));
                return Optional.empty();
            }
            Path tmp = Scratch.file(cache, "aot", ".tmp");
            try {
                Files.move(out, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Scratch.remove(tmp);
            }
            return Optional.of(done);
        } finally {
            Scratch.remove(stage);
        }
    }

    /** Runs the training; null when {@code out} was written, else why not. */
    private String run(Path jre, Path stage, Path out, Code code) throws IOException {
        int port = freePort();
        var cmd = new ArrayList<String>();
        cmd.addAll(List.of(
                jre.resolve("bin/java").toString(), "-XX:AOTCacheOutput=" + out, "-XX:+UnlockDiagnosticVMOptions"));
        // The JVM that assembles the cache at exit gets these options too (JDK 25 passes them on in
        // its JAVA_TOOL_OPTIONS), and it is the one that writes the adapters.
        cmd.addAll(code.options);
        cmd.addAll(List.of("@app/jvm.args", "http-port=" + port, "http-address=127.0.0.1"));
        var pb = new ProcessBuilder(cmd).directory(stage.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(ENVIRONMENT);
        // Stopped with the tool: a training JVM left running would hold its port and the stage.
        Process p = Scratch.start(() -> Orphans.start(pb));
        var ready = new CompletableFuture<String>();
        var tail = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("mirari-ready: listening")) ready.complete(line);
                    if (line.startsWith("[") || line.isBlank()) continue; // the JVM's own AOT messages
                    synchronized (tail) {
                        tail.setLength(0);
                        tail.append(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.complete(null);
        });
        try {
            String listening;
            try {
                listening = ready.get(READY_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                listening = null;
            }
            if (listening == null) {
                p.destroyForcibly();
                return "the app did not listen on 127.0.0.1:" + port + " within " + READY_SECONDS + " s"
                        + (tail.isEmpty() ? "" : "; last line: " + tail);
            }
            // The request path loads the server's parsing and response classes; its answer does not matter.
            for (int i = 0; i < 2; i++) get(port);
            httpsPort(listening).ifPresent(TlsTraining::get);
            // SIGTERM through the handle: Process.destroy() would also close our end of its output,
            // and a JVM that cannot print its last lines writes no cache.
            p.toHandle().destroy();
            if (!p.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "the app did not end within " + EXIT_SECONDS + " s of SIGTERM";
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            if (!Files.isRegularFile(out)) return "the JVM wrote no cache; last line: " + tail;
            return null;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            return e.getMessage();
        } finally {
            Scratch.untrack(p);
        }
    }

    /**
     * The port of the ready line's {@code https=https://HOST:PORT/}: an app whose conf asks for
     * HTTPS. One that gets it only as a boot-time parameter is not trained with it, so that the
     * caches of the many apps without HTTPS do not carry its classes (1.5 MB more squashfs for the
     * seed's) and load them at every start.
     */
    static Optional<Integer> httpsPort(String readyLine) {
        var m = java.util.regex.Pattern.compile(" https=https://[^ /]+:(\\d+)/").matcher(readyLine);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    private static void get(int port) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        } catch (IOException e) {
            // An app that resets or times out still loaded what serving a request loads.
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String key(Path jre, Map<String, Path> files, String jvmArgs, long mtime) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update((VERSION + "\n" + jre.toRealPath() + "\n" + mtime + "\n" + jvmArgs).getBytes(StandardCharsets.UTF_8));
        var names = new ArrayList<>(files.keySet());
        java.util.Collections.sort(names);
        for (String n : names) {
            md.update(("\n" + n + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(files.get(n)));
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    }
}
