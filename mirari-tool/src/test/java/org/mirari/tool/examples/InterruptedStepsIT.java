package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT to the real launcher) in the middle of each step that takes time: resolving (a
 * download stalled by the test's own Maven mirror; also SIGKILL, whose partial download the next
 * download sweeps), compiling, jlink, and the image. Each run
 * exits 130 and leaves no partial output, no temporary file and no host tool running, what was
 * built before is intact, and the next run works. A SIGKILL during jlink ends jlink too (its
 * parent-death signal) and leaves its temporary directory, which the next run sweeps. With
 * {@code -Dmirari.test.rebuild=true}, a whole build after all that makes the same image (SHA-256) as an
 * uninterrupted build in a cache of its own. The signal follows the step's own event line or file,
 * never a guessed delay.
 */
class InterruptedStepsIT {
    static final Duration TIME = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void ctrlCOrSigkillWhileResolvingLeaveNoPartialDownloadAndTheNextRunResolves() throws Exception {
        var stalled = new Semaphore(0);
        var release = new CountDownLatch(1);
        var jar = tinyJar();
        var pom = """
                <project><modelVersion>4.0.0</modelVersion><groupId>test.mirari</groupId>\
                <artifactId>slow</artifactId><version>1.0</version></project>
                """.getBytes(StandardCharsets.UTF_8);
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var base = "/maven2/test/mirari/slow/1.0/slow-1.0";
        var files = Map.of(
                base + ".pom", pom, base + ".pom.sha1", sha1(pom), base + ".jar", jar, base + ".jar.sha1", sha1(jar));
        server.createContext("/", exchange -> {
            try (exchange) {
                var body = files.get(exchange.getRequestURI().getPath());
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                if (exchange.getRequestURI().getPath().endsWith(".jar") && release.getCount() > 0) {
                    // Half the jar, then nothing until the test lets go: a download in progress.
                    exchange.getResponseBody().write(body, 0, body.length / 2);
                    exchange.getResponseBody().flush();
                    stalled.release();
                    release.await(2, TimeUnit.MINUTES);
                    return;
                }
                exchange.getResponseBody().write(body);
            } catch (InterruptedException | IOException e) {
                // the client went away
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            var repo = dir.resolve("repo");
            var home = Files.createDirectories(dir.resolve("home/.m2")).getParent();
            Files.writeString(home.resolve(".m2/settings.xml"), """
                    <settings>
                      <localRepository>%s</localRepository>
                      <mirrors><mirror><id>test</id><url>http://127.0.0.1:%d/maven2/</url><mirrorOf>*</mirrorOf></mirror></mirrors>
                    </settings>
                    """.formatted(
                            repo, server.getAddress().getPort()));
            var app = MirariRun.copyExample("hello", dir);
            Files.writeString(
                    app.resolve("hello.conf"),
                    Files.readString(app.resolve("hello.conf")) + "packages: test.mirari:slow:1.0\n");
            var env = Map.of("HOME", home.toString());
            try (var run = MirariRun.start(dir, env, "configure", "-q", app.toString())) {
                if (!stalled.tryAcquire(TIME.toSeconds(), TimeUnit.SECONDS))
                    throw new AssertionError("the jar was never requested; output:\n" + run.output());
                run.signal("INT");
                assertThat(run.exitCode(TIME)).as(run.output()).isEqualTo(130);
            }
            for (var generated : List.of("Main.java", "pom.xml", "hello.lock"))
                assertThat(app.resolve(generated)).as(generated).doesNotExist();
            assertThat(Leftovers.temporaries(app))
                    .as("temporary files in the app")
                    .isEmpty();
            var slow = repo.resolve("test/mirari/slow/1.0");
            assertThat(slow.resolve("slow-1.0.jar")).as("a partial jar").doesNotExist();
            assertThat(Leftovers.temporaries(slow)).as("partial downloads").isEmpty();

            // SIGKILL mid-download: no hook runs, and the partial download stays...
            try (var run = MirariRun.start(dir, env, "configure", "-q", app.toString())) {
                if (!stalled.tryAcquire(TIME.toSeconds(), TimeUnit.SECONDS))
                    throw new AssertionError("the jar was never requested again; output:\n" + run.output());
                Leftovers.await(slow, Pattern.compile("slow-1\\.0\\.jar\\..*\\.tmp"), TIME, run);
                run.signal("KILL");
                assertThat(run.exitCode(TIME)).as(run.output()).isEqualTo(137);
            }
            assertThat(Leftovers.temporaries(slow)).as("what the SIGKILL left").hasSize(1);

            // ...until the next download of that jar, which sweeps it (holding the resolver's lock on it).
            release.countDown();
            try (var again = MirariRun.start(dir, env, "configure", "-q", app.toString())) {
                assertThat(again.exitCode(TIME)).as(again.output()).isZero();
            }
            assertThat(Files.readAllBytes(slow.resolve("slow-1.0.jar"))).isEqualTo(jar);
            assertThat(Leftovers.temporaries(slow)).as("partial downloads").isEmpty();
            assertThat(Files.readString(app.resolve("hello.lock"))).contains("test.mirari:slow:1.0");
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void ctrlCWhileCompilingKeepsTheEarlierBuildAndTheNextBuildWorks() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        try (var first = MirariRun.start(dir, Map.of(), "build", "-q", app.toString())) {
            assertThat(first.exitCode(TIME)).as(first.output()).isZero();
        }
        var jar = app.resolve(".mirari/socket/hello.jar");
        var before = Files.readAllBytes(jar);
        // Enough code that compiling it takes a while after the compile step's line.
        var big = new StringBuilder("final class Big {\n");
        for (int i = 0; i < 3000; i++)
            big.append("    static long m")
                    .append(i)
                    .append("(long x) { return (x * ")
                    .append(i)
                    .append(" + m")
                    .append(Math.max(0, i - 1))
                    .append("(x >> 1)) ^ ")
                    .append(i)
                    .append("L; }\n");
        Files.writeString(app.resolve("Big.java"), big.append("}\n").toString());

        try (var run = MirariRun.start(dir, Map.of(), "build", app.toString())) {
            run.await(l -> l.startsWith("mirari: compile: "), TIME);
            run.signal("INT");
            assertThat(run.exitCode(TIME)).as(run.output()).isEqualTo(130);
        }
        assertThat(Files.readAllBytes(jar)).as("the earlier jar").isEqualTo(before);
        assertThat(Leftovers.temporaries(app)).as("temporary files").isEmpty();

        try (var again = MirariRun.start(dir, Map.of(), "build", "-q", app.toString())) {
            assertThat(again.exitCode(TIME)).as(again.output()).isZero();
        }
        try (var z = new java.util.zip.ZipFile(jar.toFile())) {
            assertThat(z.getEntry("Big.class")).as("the next build's jar").isNotNull();
        }
    }

    @Test
    void ctrlCOrSigkillInJlinkAndCtrlCInTheImageLeaveNothingAndTheCacheStaysSound() throws Exception {
        var app = MirariRun.tinyVmApp(dir);
        var cache = dir.resolve("cache");
        var env = Map.of("MIRARI_CACHE", cache.toString());
        var jre = cache.resolve("jre");

        // 1. Ctrl-C while jlink links: its directory and jlink itself are gone, nothing is written.
        assertThat(signalWhileLinking(app, env, jre, "INT")).isEqualTo(130);
        assertNothingLeftAfterCtrlC(app, cache);

        // 2. SIGKILL while jlink links: no hook runs, but jlink gets its parent-death signal and ends
        // at once, not seconds later when its link is done (no orphan writes on into the cache); its
        // directory stays for the next run to sweep.
        assertThat(signalWhileLinking(app, env, jre, "KILL")).isEqualTo(137);
        assertThat(Leftovers.awaitNoProcessMentioning(cache.toString(), Duration.ofSeconds(3)))
                .as("tools still running after the SIGKILL")
                .isEmpty();
        var left = Leftovers.temporaries(jre);
        assertThat(left).as("what the SIGKILL left").hasSize(1);

        // 3. The next run sweeps it and links; Ctrl-C once the initramfs is being written.
        try (var run = MirariRun.start(dir, env, "build", "--qemu", app.toString())) {
            Leftovers.await(cache.resolve("initrd"), Pattern.compile("\\.part-.*"), TIME, run);
            assertThat(left.getFirst()).as("swept").doesNotExist();
            run.signal("INT");
            assertThat(run.exitCode(TIME)).as(run.output()).isEqualTo(130);
        }
        assertNothingLeftAfterCtrlC(app, cache);
        // The runtime that run linked is whole: it starts.
        Path linked;
        try (Stream<Path> s = Files.list(jre)) {
            linked = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        var java = new ProcessBuilder(linked.resolve("bin/java").toString(), "-version")
                .redirectErrorStream(true)
                .start();
        var version = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(version).isZero();

        // 4. A whole build after all that makes the image an uninterrupted build makes, byte for
        // byte: a copy of the app built once in a cache of its own. Two whole images (zstd -19 of
        // the 70 MB runtime part, about a minute each here) are a long run: -Dmirari.test.rebuild=true.
        if (!Boolean.getBoolean("mirari.test.rebuild")) {
            System.out.println("InterruptedStepsIT: the whole rebuild after the interruptions is skipped"
                    + " (two image builds of about a minute each); -Dmirari.test.rebuild=true runs it");
            return;
        }
        long t0 = System.nanoTime();
        try (var run = MirariRun.start(dir, env, "build", "-q", "--qemu", app.toString())) {
            assertThat(run.exitCode(TIME)).as(run.output()).isZero();
        }
        var reference = Files.createDirectories(dir.resolve("reference"));
        var copy = MirariRun.tinyVmApp(reference);
        try (var run = MirariRun.start(
                reference,
                Map.of("MIRARI_CACHE", reference.resolve("cache").toString()),
                "build",
                "-q",
                "--qemu",
                copy.toString())) {
            assertThat(run.exitCode(TIME)).as(run.output()).isZero();
        }
        for (var image : List.of("mir-tiny.vmlinuz", "mir-tiny.initrd"))
            assertThat(sha256(app.resolve(image)))
                    .as(image + " after the interrupted builds")
                    .isEqualTo(sha256(copy.resolve(image)));
        assertThat(Leftovers.temporaries(cache))
                .as("temporary paths in the cache")
                .isEmpty();
        System.out.printf(
                "InterruptedStepsIT: rebuild and reference build %.1f s (load %s)%n",
                (System.nanoTime() - t0) / 1e9,
                Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Builds {@code app}'s image and sends {@code signal} once jlink works in {@code jre}; the exit code. */
    private int signalWhileLinking(Path app, Map<String, String> env, Path jre, String signal) throws Exception {
        try (var run = MirariRun.start(dir, env, "build", "--qemu", app.toString())) {
            run.await(l -> l.startsWith("mirari: jlink: "), TIME);
            Leftovers.await(jre, Pattern.compile("\\.link-.*"), TIME, run);
            run.signal(signal);
            return run.exitCode(TIME);
        }
    }

    /**
     * What a Ctrl-C of a build leaves: no host tool still working in the cache (the hook stopped
     * them before the JVM ended), no temporary path in the cache, and no image in the app.
     */
    private static void assertNothingLeftAfterCtrlC(Path app, Path cache) throws IOException {
        assertThat(Leftovers.processesMentioning(cache.toString()))
                .as("tools still running")
                .isEmpty();
        assertThat(Leftovers.temporaries(cache))
                .as("temporary paths in the cache")
                .isEmpty();
        assertThat(app.resolve("mir-tiny.vmlinuz")).doesNotExist();
        assertThat(app.resolve("mir-tiny.initrd")).doesNotExist();
        assertThat(Leftovers.temporaries(app)).as("temporary files in the app").isEmpty();
    }

    private static byte[] tinyJar() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("test/Slow.txt"));
            // Large enough that half of it is a partial download on any buffer size.
            var bytes = new byte[256 * 1024];
            new java.util.Random(17).nextBytes(bytes); // incompressible
            zip.write(bytes);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] sha1(byte[] b) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(b))
                .getBytes(StandardCharsets.US_ASCII);
    }
}
