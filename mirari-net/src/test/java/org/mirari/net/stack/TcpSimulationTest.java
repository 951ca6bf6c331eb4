package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mirari.net.device.FaultInjector;
import org.mirari.net.device.Faults;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * Two whole stacks over the virtual switch and seeded fault injectors, on one virtual clock: 10 MB
 * each way, byte for byte, through loss, reordering, duplication, corruption and a blackout,
 * within a bound of virtual time; afterwards every table is empty. Prints a throughput-by-loss
 * table. {@code -Dmirari.test.soak=true} adds larger runs.
 */
class TcpSimulationTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.2"), B = Ipv4Address.parse("10.0.0.3");
    static final int MB = 1 << 20;
    static final List<String> table = new ArrayList<>();

    /** Deterministic content: byte {@code i} of the stream of {@code dir}. */
    static byte at(long i, int dir) {
        return (byte) (i * 131 + (i >>> 11) * 7 + dir * 17);
    }

    static final class Sim {
        final VirtualClock clock = new VirtualClock();
        final VirtualSwitch sw = new VirtualSwitch(1500, 4096);
        final FaultInjector fa, fb;
        final NetStack a, b;

        Sim(Faults faults, long seed) throws Exception {
            fa = new FaultInjector(sw.port(MacAddress.parse("02:00:00:00:00:0a")), faults, clock, new Random(seed));
            fb = new FaultInjector(
                    sw.port(MacAddress.parse("02:00:00:00:00:0b")), faults, clock, new Random(seed + 100));
            a = new NetStack(fa, new Random(seed));
            b = new NetStack(fb, new Random(seed + 1));
            a.setClock(clock);
            b.setClock(clock);
            a.configure(new Ipv4Config(A, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
            b.configure(new Ipv4Config(B, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        }

        void step() throws Exception {
            boolean more;
            int rounds = 0;
            do {
                more = a.poll(clock.nanos()) | b.poll(clock.nanos());
            } while (more && ++rounds < 64);
        }

        /** Moves time to the next event, at most {@code maxNanos} ahead (the apps may have something to do sooner). */
        void advance(long maxNanos) {
            long now = clock.nanos();
            long next = Math.min(Math.min(a.nextDeadline(), b.nextDeadline()), Math.min(fa.nextDue(), fb.nextDue()));
            long to = Math.max(now + 1000, Math.min(next, now + maxNanos));
            clock.advanceNanos(to - now);
        }
    }

    /** One endpoint's app: writes {@code total} bytes of its stream, reads the other's, checking each byte. */
    static final class Pump {
        final TcpSocket s;
        final int out, in;
        final long total;
        long written, read;
        boolean shut, eof;

        Pump(TcpSocket s, int out, int in, long total) {
            this.s = s;
            this.out = out;
            this.in = in;
            this.total = total;
        }

        boolean work() throws Exception {
            boolean progress = false;
            var buf = ByteBuffer.allocate(64 * 1024);
            while (written < total) {
                buf.clear();
                int n = (int) Math.min(buf.capacity(), total - written);
                for (int i = 0; i < n; i++) buf.put(at(written + i, out));
                buf.flip();
                int w = s.write(buf, false);
                written += w;
                if (w > 0) progress = true;
                if (w < n) break;
            }
            if (written == total && !shut) {
                s.shutdownOutput();
                shut = true;
                progress = true;
            }
            while (!eof) {
                buf.clear();
                int n = s.read(buf, 0);
                if (n < 0) {
                    eof = true;
                    progress = true;
                    break;
                }
                if (n == 0) break;
                buf.flip();
                for (int i = 0; i < n; i++) {
                    byte want = at(read + i, in);
                    if (buf.get(i) != want)
                        throw new AssertionError("byte " + (read + i) + " differs: " + buf.get(i) + " != " + want);
                }
                read += n;
                progress = true;
            }
            return progress;
        }
    }

    record Result(double seconds, long retransmits) {}

    static Result transfer(Sim sim, long bytes, double boundSeconds, Runnable atTime) throws Exception {
        var server = sim.a.listenTcp(Ipv4Address.ANY, 80, 16);
        var client = sim.b.connectTcp(A, 80, sim.clock);
        long start = sim.clock.nanos();
        TcpSocket accepted = null;
        Pump pc = new Pump(client, 1, 0, bytes), ps = null;
        long limit = start + (long) (boundSeconds * 1e9);
        while (true) {
            sim.step();
            if (accepted == null) {
                accepted = server.accept(0);
                if (accepted != null) ps = new Pump(accepted, 0, 1, bytes);
            }
            boolean progress = pc.work() | (ps != null && ps.work());
            if (ps != null && pc.eof && ps.eof && pc.shut && ps.shut) break;
            if (sim.clock.nanos() > limit)
                throw new AssertionError(String.format(
                                Locale.ROOT,
                                "not done within %.1f s of virtual time: client wrote %d read %d, server %s; %s / %s",
                                boundSeconds,
                                pc.written,
                                pc.read,
                                ps == null ? "not accepted" : "wrote " + ps.written + " read " + ps.read,
                                sim.fa.stats(),
                                sim.fb.stats())
                        + "\n" + sim.a.describeTcp() + sim.b.describeTcp());
            atTime.run();
            if (!progress) sim.advance(5_000_000);
            else sim.step();
        }
        double secs = (sim.clock.nanos() - start) / 1e9;
        assertThat(pc.read).isEqualTo(bytes);
        assertThat(ps.read).isEqualTo(bytes);
        client.close();
        accepted.close();
        server.close();
        long rtx = sim.a.stats().tcp().retransmits() + sim.b.stats().tcp().retransmits();
        // let FIN handshakes, TIME-WAIT (60 s) and every timer run out
        long end = sim.clock.nanos() + 200_000_000_000L;
        while (sim.clock.nanos() < end
                && (sim.a.stats().tcp().connections() + sim.b.stats().tcp().connections() > 0)) {
            sim.step();
            sim.advance(1_000_000_000L);
        }
        for (var s : new NetStack[] {sim.a, sim.b}) {
            var t = s.stats().tcp();
            assertThat(t.connections())
                    .as("connections left: %s", s.tcpStates())
                    .isZero();
            assertThat(t.listeners()).isZero();
            assertThat(t.ports()).isZero();
            assertThat(t.synQueued() + t.acceptQueued()).isZero();
            assertThat(t.timers()).isZero();
        }
        return new Result(secs, rtx);
    }

    @Test
    void cleanLinkMovesTenMegabytesEachWayQuickly() throws Exception {
        var sim = new Sim(Faults.NONE.withDelay(500_000), 1);
        var r = transfer(sim, 10 * MB, 2, () -> {});
        assertThat(r.retransmits()).isZero();
        table.add(row("0 %", r, 10 * MB));
    }

    @ParameterizedTest(name = "loss {0} %")
    @CsvSource({"1, 30", "2, 40", "5, 60", "10, 120"})
    void lossyLinkDeliversEverythingInOrder(int lossPercent, int boundSeconds) throws Exception {
        var sim = new Sim(Faults.NONE.withDelay(500_000).withLoss(lossPercent / 100.0), 7 + lossPercent);
        var r = transfer(sim, 10 * MB, boundSeconds, () -> {});
        assertThat(r.retransmits()).isPositive();
        table.add(row(lossPercent + " %", r, 10 * MB));
    }

    @Test
    void reorderingDuplicationAndCorruption() throws Exception {
        var faults = new Faults(0.01, 0.02, 0.05, 0.01, 500_000, 3_000_000);
        var sim = new Sim(faults, 42);
        var r = transfer(sim, 10 * MB, 60, () -> {});
        assertThat(sim.a.stats().tcp().malformed() + sim.b.stats().tcp().malformed())
                .isPositive(); // corruption caught by checksums
        table.add(row("1 % + reorder 5 % + dup 2 % + corrupt 1 %", r, 10 * MB));
    }

    @Test
    void aOneSecondBlackoutIsRidden() throws Exception {
        var sim = new Sim(Faults.NONE.withDelay(500_000), 9);
        long[] startAt = {-1};
        var base = Faults.NONE.withDelay(500_000);
        var r = transfer(sim, 10 * MB, 30, () -> {
            long now = sim.clock.nanos();
            if (startAt[0] < 0 && sim.a.stats().tcp().segmentsIn() > 2000) {
                startAt[0] = now;
                sim.fa.setFaults(base.withLoss(1));
                sim.fb.setFaults(base.withLoss(1));
            } else if (startAt[0] > 0 && now - startAt[0] >= 1_000_000_000L) {
                sim.fa.setFaults(base);
                sim.fb.setFaults(base);
                startAt[0] = Long.MAX_VALUE;
            }
        });
        assertThat(r.seconds()).isGreaterThan(1.0);
        table.add(row("1 s blackout", r, 10 * MB));
    }

    /** The long soak: more seeds, 100 MB each way, loss with reordering. {@code -Dmirari.test.soak=true}. */
    @ParameterizedTest(name = "soak seed {0}")
    @CsvSource({"101", "102", "103", "104", "105"})
    void soakHundredMegabytesEachWayThroughLossAndReordering(long seed) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Boolean.getBoolean("mirari.test.soak"), "a long soak; run with -Dmirari.test.soak=true");
        var faults = new Faults(0.02, 0.01, 0.02, 0.005, 500_000, 2_000_000);
        var sim = new Sim(faults, seed);
        var r = transfer(sim, 100L * MB, 1200, () -> {});
        table.add(row("soak " + seed + ": 2 % loss, reorder, dup, corrupt, 100 MB", r, 100L * MB));
    }

    static String row(String what, Result r, long bytes) {
        return String.format(
                Locale.ROOT,
                "| %-42s | %8.3f s | %9.1f Mbit/s | %6d |",
                what,
                r.seconds(),
                2 * bytes * 8 / r.seconds() / 1e6,
                r.retransmits());
    }

    @AfterAll
    static void printTable() {
        if (table.isEmpty()) return;
        System.out.println(
                "TCP over the simulated link (0.5 ms each way, 1500 MTU), 10 MB each way at once; virtual time");
        System.out.println(
                String.format(Locale.ROOT, "| %-42s | %10s | %16s | %6s |", "faults", "time", "both ways", "rexmit"));
        table.forEach(System.out::println);
    }
}
