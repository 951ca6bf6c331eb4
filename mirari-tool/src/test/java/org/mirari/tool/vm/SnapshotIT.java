package org.mirari.tool.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirari run --qemu} snapshots end to end through {@code bin/mirari}, under TCG: one cold
 * boot records the snapshot (in {@link #recordOnce}), every test after it restores (0.2-1 s each).
 * The app reports, per request, 32 bytes of its {@code /dev/urandom}, a {@code SecureRandom} value
 * and a {@code UUID.randomUUID()}: copies restored from one snapshot must differ in all three. The
 * http-port is picked per run of the class, so the snapshot's key is this class's own; its entry
 * is removed at the end. The app's restore hook reports what it saw. The last two tests damage the
 * snapshot (and put it back), then change the image (so the order is fixed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotIT {
    static final Duration BOOT = Duration.ofMinutes(4);
    static final Duration RESTORE = Duration.ofMinutes(1);
    static final Pattern RESTORED = Pattern.compile("boot timeline: restored in (\\d+) ms");
    static final Pattern RECORDED = Pattern.compile("snapshot recorded in \\d+ ms \\([0-9.]+ MB, (/[^)]+)\\)");
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static Path app;
    static int guestPort;
    static Path entry;
    static String coldAnswer;

    @BeforeAll
    static void recordOnce() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 is not installed");
        app = Files.createDirectories(dir.resolve("uniq"));
        Files.writeString(app.resolve("uniq.conf"), "main-http: Uniq.main\nhttp-address: *\n");
        Files.writeString(app.resolve("Uniq.java"), """
                import java.io.FileInputStream;
                import java.security.SecureRandom;
                import java.util.HexFormat;
                import java.util.UUID;
                import org.mirari.runtime.Mirari;
                import org.mirari.runtime.http.Request;
                import org.mirari.runtime.http.Response;

                /**
                 * Reports what must differ between copies restored from one snapshot, and what its restore
                 * hook saw (registered when the class is initialized: by the runtime's priming request,
                 * before the snapshot).
                 */
                final class Uniq {
                    static volatile String hook = "none";

                    static {
                        Mirari.afterRestore(r -> hook = "gen" + r.generation() + "-"
                                + HexFormat.of().formatHex(r.seed()).substring(0, 16));
                    }

                    private Uniq() {}

                    static Response main(Request request) throws Exception {
                        byte[] u = new byte[32];
                        try (var in = new FileInputStream("/dev/urandom")) {
                            in.readNBytes(u, 0, 32);
                        }
                        byte[] s = new byte[16];
                        new SecureRandom().nextBytes(s);
                        var hex = HexFormat.of();
                        return Response.ok("urandom=" + hex.formatHex(u) + " secure=" + hex.formatHex(s)
                                + " uuid=" + UUID.randomUUID() + " hook=" + hook + "\\n");
                    }
                }
                """);
        // A port of this run's own: it is on the kernel command line, so the snapshot key is too.
        guestPort = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        try (var run = Mirari.start(
                dir, "run", "--qemu", "--set", "http-port=" + guestPort, "-p", "0:" + guestPort, app.toString())) {
            run.await(l -> l.contains("snapshot: booting cold: "), BOOT);
            String ready = run.await(l -> l.contains("ready: listening"), BOOT);
            var recorded = RECORDED.matcher(run.output());
            assertThat(recorded.find()).as(run.output()).isTrue();
            entry = Path.of(recorded.group(1));
            assertThat(run.output()).contains("boot timeline: cold: no snapshot yet for this image and machine; ");
            coldAnswer = body(get(QemuIT.hostUrl(ready)));
            // The recording VM is told to diverge after the snapshot: its hook saw generation 0.
            assertThat(coldAnswer).contains(" hook=gen0-");
            coldOutput = run.output();
            assertThat(run.stop()).isEqualTo(130);
        }
        // The stream at rest, compressed, and the RAM file made from it for fast restores: all private.
        assertThat(coldOutput).contains("; RAM file for fast restores made in ");
        for (String f : List.of("state.zst", "ram", "devices")) {
            assertThat(entry.resolve(f)).isRegularFile();
            assertThat(Files.getPosixFilePermissions(entry.resolve(f)))
                    .as(f)
                    .containsExactlyInAnyOrder(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
    }

    static String coldOutput;

    @AfterAll
    static void removeTheSnapshotAndCheckNoQemuIsLeft() throws Exception {
        if (entry != null && Files.exists(entry)) {
            try (var all = Files.walk(entry)) {
                for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        if (app != null)
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info()
                            .commandLine()
                            .orElse("")
                            .contains(app.resolve("mir-uniq.initrd").toString())))
                    .as("no QEMU left behind")
                    .isEmpty();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String body(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .matches("urandom=[0-9a-f]{64} secure=[0-9a-f]{32} uuid=[0-9a-f-]{36} hook=gen\\d+-[0-9a-f]{16}\n");
        return r.body();
    }

    /**
     * How far the response's Date is from this host's clock, both to the second: an HTTP-date has
     * whole seconds only (RFC 9110 §5.6.7), so the host's clock is truncated the same way.
     */
    static long dateSkewMillis(HttpResponse<String> r) {
        var date =
                ZonedDateTime.parse(r.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME);
        var now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return Math.abs(Duration.between(date.toInstant(), now).toMillis());
    }

    /** The run's first word on the snapshot: why it boots cold, or that it restored. */
    static String verdict(Mirari run) throws Exception {
        return run.await(l -> l.contains("snapshot: booting cold: ") || l.contains("restored in"), RESTORE);
    }

    /**
     * {@code started} boots cold for {@code reason} (stopped once it says so, before the guest boots),
     * and the snapshot of this class stays in the cache.
     */
    static void bootsColdAndLeavesTheSnapshot(Mirari started, String reason) throws Exception {
        try (var run = started) {
            assertThat(verdict(run)).contains("snapshot: booting cold: " + reason);
            run.stop();
        }
        assertThat(entry.resolve("state.zst"))
                .as("the snapshot of this class is untouched")
                .isRegularFile();
    }

    static Mirari restore() throws Exception {
        return Mirari.start(
                dir, "run", "--qemu", "--set", "http-port=" + guestPort, "-p", "0:" + guestPort, app.toString());
    }

    /**
     * Without its RAM file (here: without the check that vouches for it) a snapshot is restored from
     * its compressed stream; the RAM file is back for the next test.
     */
    @Test
    @Order(1)
    void aSecondRunIsRestoredAndAnswers() throws Exception {
        Path check = entry.resolve("ram.check"), aside = dir.resolve("ram.check");
        Files.move(check, aside);
        try (var run = restore()) {
            String ready = run.await(l -> l.contains("ready: listening"), RESTORE);
            var m = RESTORED.matcher(run.output());
            assertThat(m.find()).as(run.output()).isTrue();
            System.out.println("SnapshotIT: restored in " + m.group(1) + " ms (QEMU start to the guest's answer)");
            assertThat(ready).containsPattern("http://127\\.0\\.0\\.1:\\d+/ \\(restored in \\d+ ms\\)");
            assertThat(run.output()).doesNotContain("mirari-restored").doesNotContain("booting cold");
            assertThat(run.output()).contains(", memory loaded from its stream); host clock: ");
            var r = get(QemuIT.hostUrl(ready));
            assertThat(body(r)).isNotEqualTo(coldAnswer);
            // The app's restore hook ran in the restored guest, with this copy's generation.
            assertThat(r.body()).containsPattern(" hook=gen[1-9]\\d*-");
            // The guest's clock is the host's again (the snapshot's is minutes old by now).
            assertThat(dateSkewMillis(r))
                    .as("Date %s", r.headers().firstValue("Date"))
                    .isLessThanOrEqualTo(2_000);
            assertThat(run.stop()).isEqualTo(130);
        } finally {
            Files.move(aside, check);
        }
    }

    @Test
    @Order(2)
    void threeCopiesAtOnceAnswerOnTheirOwnPortsAndShareNoRandomness() throws Exception {
        var runs = new ArrayList<Mirari>();
        Path ram = entry.resolve("ram");
        var modified = Files.getLastModifiedTime(ram);
        String hash = sha256(ram);
        try {
            for (int i = 0; i < 3; i++) runs.add(restore());
            var urls = new HashSet<String>();
            var answers = new ArrayList<String>();
            for (var run : runs) {
                String url = QemuIT.hostUrl(run.await(l -> l.contains("ready: listening"), RESTORE));
                urls.add(url);
                var r = get(url);
                answers.add(body(r));
                // Each guest's clock is set to the millisecond from the line's host time, by the
                // first program its init runs on the line (before the reseed, the runtime, the hooks).
                assertThat(dateSkewMillis(r))
                        .as("Date %s", r.headers().firstValue("Date"))
                        .isLessThanOrEqualTo(2_000);
            }
            assertThat(urls).hasSize(3);
            answers.add(coldAnswer);
            // The hooks' values too: each saw its own generation and seed.
            for (String field : List.of("urandom", "secure", "uuid", "hook")) {
                var values = answers.stream()
                        .map(a -> Pattern.compile(field + "=(\\S+)")
                                .matcher(a)
                                .results()
                                .findFirst()
                                .orElseThrow()
                                .group(1))
                        .toList();
                assertThat(new HashSet<>(values)).as(field + " in " + answers).hasSize(4);
            }
            for (var run : runs) {
                // Each mapped the one RAM file copy-on-write, and none wrote to it.
                assertThat(run.output()).contains(", memory mapped from its RAM file); host clock: ");
                assertThat(run.stop()).isEqualTo(130);
            }
        } finally {
            runs.forEach(Mirari::close);
        }
        assertThat(Files.getLastModifiedTime(ram)).isEqualTo(modified);
        assertThat(sha256(ram)).isEqualTo(hash);
    }

    static String sha256(Path file) throws Exception {
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    @Test
    @Order(3)
    void anotherKernelCommandLineIsNotRestored() throws Exception {
        bootsColdAndLeavesTheSnapshot(
                Mirari.start(dir, "run", "--qemu", "--set", "http-port=" + (guestPort + 1), app.toString()),
                "no snapshot yet for this image and machine");
    }

    @Test
    @Order(4)
    void aDamagedSnapshotIsDeletedAndTheRunBootsCold() throws Exception {
        // The intact snapshot is put back afterwards, for the next test (links: nothing is copied, and
        // the file damaged is written anew, not in place).
        Path kept = Files.createDirectories(dir.resolve("kept-snapshot"));
        try (var files = Files.list(entry)) {
            for (Path f : files.toList()) Files.createLink(kept.resolve(f.getFileName()), f);
        }
        // What a restore reads: the device state that goes with the RAM file.
        Path state = entry.resolve("devices");
        byte[] bytes = Files.readAllBytes(state);
        // After its magic number and version: the first sections' headers no longer parse.
        for (int i = 8; i < 8 + 4096 && i < bytes.length; i++) bytes[i] ^= 0x5a;
        Files.delete(state);
        Files.write(state, bytes);
        try (var run = restore()) {
            String cold = verdict(run);
            assertThat(cold).contains("the snapshot could not be restored");
            assertThat(run.output())
                    .containsPattern("the snapshot could not be restored \\(.+\\); deleted it; booting cold");
            for (String f : List.of("devices", "ram", "state.zst"))
                assertThat(entry.resolve(f)).doesNotExist();
            run.stop();
        }
        Files.move(kept, entry);
    }

    /**
     * A changed image: the app's read-only disk with other bytes, as a rebuild of the app leaves it
     * (the key hashes the image's files by content; QemuCommandKeyTest rebuilds them in miniature).
     * The disk is changed in place rather than rebuilt because a rebuild of this app's image costs
     * 14-20 s here (jlink and both squashfs images again), more than the rest of this class's tests
     * together. The snapshot of the image before is still in the cache and is not restored; the run is
     * stopped once it says why it boots cold, before the guest boots.
     */
    @Test
    @Order(5)
    void aChangedImageIsNotRestored() throws Exception {
        assertThat(entry.resolve("state.zst")).isRegularFile();
        Files.write(app.resolve("mir-uniq.app.sqfs"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        bootsColdAndLeavesTheSnapshot(restore(), "no snapshot yet for this image and machine");
    }
}
