package org.mirari.tool.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.backend.VmConsoleSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/** VmRun reading a console: a shell script stands in for the hypervisor and prints what a guest prints. */
class VmRunTest {
    @TempDir
    Path dir;

    private int run(String console, String onCrash, EventSink.Recording events) throws Exception {
        var spec = new VmConsoleSpec(
                List.of("http://127.0.0.1:18080/"), onCrash, dir.resolve("work/console.log"), "test VM");
        var launch = new Launch(List.of("sh", "-c", "printf '%s\\n' " + console), Map.of(), dir, Optional.empty());
        return VmRun.run(new RunSpec.VmConsole(launch, spec), events);
    }

    /**
     * A restore's QEMU: the cold boot's command waiting for the snapshot, and with the snapshot's RAM
     * file its memory mapped copy-on-write from it, under the id of microvm's own RAM; a recording
     * makes the file with the same words and share=on.
     */
    @Test
    void aRestoreMapsTheRamFileCopyOnWriteWhenThereIsOne() {
        var cold = new Launch(
                List.of("qemu", "-M", "microvm,accel=tcg", "-m", "160", "-smp", "1"), Map.of(), dir, Optional.empty());
        assertThat(VmRun.restoring(cold, Optional.empty()).command())
                .containsExactly("qemu", "-M", "microvm,accel=tcg", "-m", "160", "-smp", "1", "-incoming", "defer");
        var ram = new org.mirari.tool.snapshot.SnapshotStore.RamFiles(
                Path.of("/c/snap,1/ram"), Path.of("/c/snap,1/devices"));
        var mapped = new java.util.ArrayList<>(cold.command());
        mapped.addAll(List.of(
                "-object",
                "memory-backend-file,id=microvm.ram,size=160M,mem-path=/c/snap,,1/ram,share=off",
                "-machine",
                "memory-backend=microvm.ram",
                "-incoming",
                "defer"));
        assertThat(VmRun.restoring(cold, Optional.of(ram)).command()).isEqualTo(mapped);
        assertThat(VmSnapshotter.ramBacked(cold.command(), ram.ram(), true))
                .contains("memory-backend-file,id=microvm.ram,size=160M,mem-path=/c/snap,,1/ram,share=on");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> VmSnapshotter.ramBacked(List.of("qemu", "-smp", "1"), ram.ram(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the QEMU command has no -m MIB");
    }

    @Test
    void theAppsExitCodeComesFromTheInitsLastLine() throws Exception {
        var events = new EventSink.Recording();
        int code = run(
                "'[    0.1] Linux' 'mirari-vm: init boot_ms=1520' "
                        + "'mirari-ready: listening url=http://127.0.0.1:80/ uptime_ms=900 boot_ms=4210' 'bye' 'mirari-vm: exit code=3 boot_ms=5000'",
                "destroy",
                events);
        assertThat(code).isEqualTo(3);
        assertThat(events.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.Ready.class, r -> {
            assertThat(r.phase()).isEqualTo("init");
            assertThat(r.detail()).isEqualTo("kernel booted, init started (guest clock 1.52 s)");
        }));
        assertThat(events.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.Ready.class, r -> {
            assertThat(r.phase()).isEqualTo("listening");
            assertThat(r.detail())
                    .isEqualTo("http://127.0.0.1:18080/ (in the guest: http://127.0.0.1:80/ (guest clock 4.21 s))");
        }));
        assertThat(events.events()).contains(new Event.AppOutput("bye", false));
        assertThat(dir.resolve("work/console.log")).doesNotExist();
    }

    @Test
    void onceTheAppListensTheBootTimelineSaysWhereTheTimeWent() throws Exception {
        var events = new EventSink.Recording();
        run(
                "'mirari-vm: init boot_ms=1520' 'mirari-vm: modules boot_ms=1700' "
                        + "'mirari-vm: network address=10.0.0.2 boot_ms=2400' 'mirari-vm: jvm boot_ms=2450' "
                        + "'mirari-vm: kernel unpack_start_ms=520 unpack_end_ms=1100' "
                        + "'mirari-vm: aot Using AOT-linked classes: true (static archive: has aot-linked classes)' "
                        + "'mirari-ready: listening url=http://127.0.0.1:80/ uptime_ms=900 boot_ms=4210' 'mirari-vm: exit code=0 boot_ms=5000'",
                "destroy",
                events);
        var infos = events.events().stream()
                .filter(e -> e instanceof Event.Info)
                .map(e -> ((Event.Info) e).message())
                .toList();
        assertThat(infos)
                .contains(
                        "guest JVM: AOT cache: Using AOT-linked classes: true (static archive: has aot-linked classes)");
        assertThat(infos).anySatisfy(m -> assertThat(m)
                .matches("boot timeline: host clock: QEMU start 0, init [0-9.]+, listening [0-9.]+ s; "
                        + "guest clock: kernel 0-1\\.52 \\(initramfs unpacked 0\\.52-1\\.10\\), modules 1\\.70, "
                        + "network 2\\.40, JVM start 2\\.45, listening 4\\.21 s"));
        assertThat(events.events()).noneMatch(e -> e instanceof Event.Warning);
    }

    @Test
    void aColdBootSaysWhyInItsTimeline() throws Exception {
        var events = new EventSink.Recording();
        var spec = new VmConsoleSpec(
                List.of("http://127.0.0.1:18080/"),
                "destroy",
                dir.resolve("work/console.log"),
                "test VM",
                new org.mirari.tool.backend.VmSnapshots.Cold("--tap: no snapshots"));
        var launch = new Launch(
                List.of(
                        "sh",
                        "-c",
                        "printf '%s\\n' 'mirari-vm: init boot_ms=1520' "
                                + "'mirari-ready: listening url=http://127.0.0.1:80/ uptime_ms=900 boot_ms=4210' "
                                + "'mirari-vm: exit code=0 boot_ms=5000'"),
                Map.of(),
                dir,
                Optional.empty());
        VmRun.run(new RunSpec.VmConsole(launch, spec), events);
        assertThat(events.events())
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.Info.class, i -> assertThat(i.message())
                        .startsWith("boot timeline: cold: --tap: no snapshots; host clock: QEMU start 0, init ")));
    }

    @Test
    void aKilledInitReportsItsStatusThroughThePanicLine() throws Exception {
        int code = run(
                "'[    2.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000700'",
                "destroy",
                new EventSink.Recording());
        assertThat(code).isEqualTo(7);
    }

    @Test
    void aCrashWithPreserveKeepsTheConsoleLogAndSaysWhere() throws Exception {
        var events = new EventSink.Recording();
        int code = run("'[    1.0] Kernel panic - not syncing: No working init found.'", "preserve", events);
        assertThat(code).isEqualTo(1);
        Path log = dir.resolve("work/console.log");
        assertThat(events.events()).contains(new Event.Warning("the guest crashed; its console log is kept: " + log));
        assertThat(Files.readString(log)).contains("No working init found.");
    }

    @Test
    void aCrashWithRestartBootsAgainThenGivesUp() throws Exception {
        var events = new EventSink.Recording();
        int code = run("'[    1.0] Kernel panic - not syncing: oops'", "restart", events);
        assertThat(code).isEqualTo(1);
        assertThat(events.events().stream()
                        .filter(e -> e instanceof Event.Warning w
                                && w.message().startsWith("the guest crashed; restarting")))
                .hasSize(VmRun.MAX_RESTARTS);
        assertThat(events.events())
                .filteredOn(e -> e instanceof Event.Info i && i.message().startsWith("booting:"))
                .hasSize(1);
    }

    @Test
    void aSignalToTheHypervisorIsAnInterruption() throws Exception {
        int code = run(
                "'[    1.0] Linux' 'qemu-system-x86_64: terminating on signal 2'",
                "preserve",
                new EventSink.Recording());
        assertThat(code).isEqualTo(130);
        assertThat(dir.resolve("work/console.log")).doesNotExist();
    }
}
