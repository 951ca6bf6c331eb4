package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;
import org.mirari.tool.json.JsonString;

/**
 * runc's {@code config.json} for an app's container (OCI runtime spec 1.0): runc's own default
 * ({@code runc spec}) with the app's process as the image's user ({@link OciBackend#USER}, whose
 * ambient capability to bind a port below 1024 keeps {@code http-port: 80} working), a read-only root, a {@code /tmp} of its own, no
 * terminal (the console is the app's stdout and stderr, read by the run), and the prepared network
 * namespace joined rather than a new one.
 */
final class RuncConfig {
    private RuncConfig() {}

    static String json(List<String> args, Path rootfs, Path netns, String hostname) {
        var caps = "[\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]";
        return """
                {
                  "ociVersion": "1.0.2",
                  "process": {
                    "terminal": false,
                    "user": {"uid": %d, "gid": %d},
                    "args": %s,
                    "env": ["PATH=/jre/bin:/usr/bin:/bin"],
                    "cwd": "/",
                    "capabilities": {"bounding": %s, "effective": %s, "inheritable": %s, "permitted": %s, "ambient": %s},
                    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
                    "noNewPrivileges": true
                  },
                  "root": {"path": %s, "readonly": true},
                  "hostname": %s,
                  "mounts": [
                    {"destination": "/proc", "type": "proc", "source": "proc"},
                    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
                    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
                    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
                    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777", "size=65536k"]}
                  ],
                  "linux": {
                    "resources": {"devices": [{"allow": false, "access": "rwm"}]},
                    "namespaces": [{"type": "pid"}, {"type": "network", "path": %s}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}],
                    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
                  }
                }
                """.formatted(
                        OciBackend.USER,
                        OciBackend.USER,
                        array(args),
                        caps,
                        caps,
                        caps,
                        caps,
                        caps,
                        JsonString.of(rootfs.toString()),
                        JsonString.of(hostname),
                        JsonString.of(netns.toString()));
    }

    static String array(List<String> values) {
        return "[" + String.join(", ", values.stream().map(JsonString::of).toList()) + "]";
    }
}
