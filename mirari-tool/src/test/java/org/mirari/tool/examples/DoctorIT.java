package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirari doctor --json} through the real launcher, held against what the tests themselves
 * detect before they run or skip (QemuIT looks for {@code /usr/bin/qemu-system-x86_64}, UnixRunIT
 * for root and a writable {@code /dev/net/tun}, UnixHttpIT for {@code /usr/sbin/dnsmasq}); and on
 * a PATH without QEMU, that row with its fix.
 */
class DoctorIT {
    static final Duration TIME = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    record Outcome(int code, String output) {
        /** The {@code status} of check {@code id}. */
        String status(String id) {
            var m = Pattern.compile("\\{\"event\":\"check\",\"id\":\"" + id + "\",\"status\":\"(\\w+)\"")
                    .matcher(output);
            if (!m.find()) throw new AssertionError("no check " + id + " in:\n" + output);
            return m.group(1);
        }

        String row(String id) {
            return output.lines()
                    .filter(l -> l.startsWith("{\"event\":\"check\",\"id\":\"" + id + "\""))
                    .findFirst()
                    .orElseThrow();
        }
    }

    Outcome doctor(Map<String, String> env) throws Exception {
        try (var run = MirariRun.start(dir, env, "doctor", "--json")) {
            int code = run.exitCode(TIME);
            return new Outcome(code, run.output());
        }
    }

    @Test
    void agreesWithWhatTheTestsDetect() throws Exception {
        var r = doctor(Map.of());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.status("jdk")).isEqualTo("ok");
        assertThat(r.status("maven-local")).isEqualTo("ok");
        assertThat(r.status("qemu"))
                .isEqualTo(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")) ? "ok" : "missing");
        boolean tap = "root".equals(System.getProperty("user.name")) && Files.isWritable(Path.of("/dev/net/tun"));
        if (tap) assertThat(r.status("tap")).isEqualTo("ok");
        assertThat(r.status("dnsmasq")).isEqualTo(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")) ? "ok" : "warn");
        assertThat(r.output())
                .contains("{\"event\":\"target\",\"target\":\"socket\",\"ready\":true,\"missing\":[]")
                .endsWith("{\"event\":\"exit\",\"code\":0}");
    }

    @Test
    void aPathWithoutQemuShowsThatRowWithItsFix() throws Exception {
        Outcome r;
        try (var path = PathWithout.programs(dir.resolve("bin"), "qemu-system-x86_64")) {
            r = doctor(Map.of("PATH", path.path()));
        }
        assertThat(r.code()).as("the default target still works").isZero();
        assertThat(r.row("qemu"))
                .isEqualTo("{\"event\":\"check\",\"id\":\"qemu\",\"status\":\"missing\",\"detail\":"
                        + "\"qemu-system-x86_64 is not on PATH\",\"fix\":\"sudo apt-get install qemu-system-x86\","
                        + "\"targets\":[\"qemu\",\"ec2\"]}");
        assertThat(r.output())
                .contains("{\"event\":\"target\",\"target\":\"qemu\",\"ready\":false,\"missing\":[\"qemu\"]");
    }
}
