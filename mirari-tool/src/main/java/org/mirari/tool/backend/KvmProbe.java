package org.mirari.tool.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mirari.tool.hosttool.Orphans;

/**
 * Whether QEMU can run a Linux guest under KVM on this machine, found by booting one.
 *
 * <p>Neither {@code /dev/kvm} nor a paused KVM guest answers that. On a nested VM whose host
 * provides KVM through PVM ({@code kvm-pvm}), a paused guest starts, and even real-mode code runs,
 * yet a Linux kernel never prints a line (the host logs "INTERNAL_ERROR in batch emul"): a run
 * would hang until its timeout. So the probe boots the kernel the run will use, without an
 * initramfs, and says yes only when the kernel's banner reaches the serial console in time. Where
 * KVM works that takes well under a second; where it does not, the time limit.
 *
 * <p>The answer is kept in the cache under a key made of what it depends on: QEMU's binary, the
 * kernel file, the host's kernel and this boot of the host ({@code boot_id}). So the probe runs
 * once per machine boot and kernel, not once per run.
 */
final class KvmProbe {
    /** How long the kernel has to print its banner under KVM. */
    static final Duration LIMIT = Duration.ofSeconds(5);

    static final Path DEVICE = Path.of("/dev/kvm");
    private static final String BANNER = "Linux version";

    private KvmProbe() {}

    /**
     * {@code kvm} or {@code tcg} for {@code kernel} on {@code qemu}: {@code tcg} without the
     * {@code device}, else the kept answer, else by booting it.
     */
    static String accelerator(String qemu, Path kernel, Path cacheDir, Path device) {
        if (!Files.exists(device)) return "tcg";
        Path answer = cacheDir.resolve("kvm-probe").resolve(key(qemu, kernel));
        try {
            String cached = Files.readString(answer).strip();
            if (cached.equals("kvm") || cached.equals("tcg")) return cached;
        } catch (IOException notYet) {
            // no answer kept: probe
        }
        String result = kernelPrintsUnderKvm(qemu, kernel, LIMIT) ? "kvm" : "tcg";
        keep(answer, result);
        return result;
    }

    /** Boots {@code kernel} under KVM with no initramfs; true once it prints its banner within {@code limit}. */
    static boolean kernelPrintsUnderKvm(String qemu, Path kernel, Duration limit) {
        Process p;
        try {
            p = Orphans.start(new ProcessBuilder(command(qemu, kernel)).redirectErrorStream(true));
        } catch (IOException e) {
            return false;
        }
        // true at the banner; false when QEMU's output ends first (it failed, or the kernel stopped)
        var banner = new CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.contains(BANNER)) banner.complete(true);
                }
            } catch (IOException e) {
                // QEMU ended
            }
            banner.complete(false);
        });
        try {
            return banner.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The probe's QEMU: the run's machine and CPU, the kernel alone, its console on stdout. */
    static List<String> command(String qemu, Path kernel) {
        var command = new java.util.ArrayList<>(VmGuest.microvm(qemu, "kvm", 64));
        command.addAll(List.of(
                "-cpu",
                "host",
                "-serial",
                "stdio",
                "-kernel",
                kernel.toString(),
                "-append",
                "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1"));
        return command;
    }

    /** SHA-256 over QEMU's and the kernel's path, size and time, the host kernel's release and boot id. */
    static String key(String qemu, Path kernel) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            for (String fact : List.of(
                    fileFacts(Path.of(qemu)),
                    fileFacts(kernel),
                    read("/proc/sys/kernel/osrelease"),
                    read("/proc/sys/kernel/random/boot_id"))) {
                sha.update(fact.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String fileFacts(Path p) {
        try {
            Path real = p.toRealPath();
            return real + " " + Files.size(real) + " "
                    + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return p + " missing";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Keeps the answer for later runs; a cache that cannot be written only costs a probe next time. */
    private static void keep(Path answer, String result) {
        Path tmp = null;
        try {
            Files.createDirectories(answer.getParent());
            tmp = Files.createTempFile(answer.getParent(), ".probe-", ".tmp");
            Files.writeString(tmp, result + "\n");
            try {
                Files.move(tmp, answer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, answer, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // read-only or full cache: probe again next time, and leave no temporary file
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }
}
