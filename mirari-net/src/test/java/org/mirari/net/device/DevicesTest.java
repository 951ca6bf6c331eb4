package org.mirari.net.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.Await;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.PcapReader;
import org.mirari.net.wire.PcapWriter;

/** The in-memory devices and the decorators. */
class DevicesTest {
    static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a"),
            B = MacAddress.parse("02:00:00:00:00:0b"),
            C = MacAddress.parse("02:00:00:00:00:0c");

    static ByteBuffer frame(MacAddress dst, MacAddress src, int tag) {
        return new EthernetFrame(dst, src, new EtherType(0x88b5), ByteBuffer.wrap(new byte[] {(byte) tag, 0, 0, 0}))
                .toBuffer();
    }

    static List<Integer> drain(NetDevice d) throws Exception {
        var out = new ArrayList<Integer>();
        var b = ByteBuffer.allocate(1600);
        while (true) {
            b.clear();
            if (d.receive(b) < 0) return out;
            out.add((int) b.get(EthernetFrame.HEADER_LEN));
        }
    }

    @Test
    void loopbackReturnsWhatWasSent() throws Exception {
        var lo = new LoopbackDevice(A, 1500);
        lo.send(frame(A, A, 1));
        lo.send(frame(A, A, 2));
        assertThat(drain(lo)).containsExactly(1, 2);
        assertThat(lo.mtu()).isEqualTo(1500);
    }

    @Test
    void switchFloodsUntilItLearnsThenForwardsToOnePort() throws Exception {
        var sw = new VirtualSwitch();
        var a = sw.port(A);
        var b = sw.port(B);
        var c = sw.port(C);
        a.send(frame(B, A, 1)); // B unknown: flooded
        assertThat(drain(b)).containsExactly(1);
        assertThat(drain(c)).containsExactly(1);
        assertThat(drain(a)).isEmpty(); // never back to the sender
        b.send(frame(A, B, 2)); // A learned from frame 1
        assertThat(drain(a)).containsExactly(2);
        assertThat(drain(c)).isEmpty();
        c.send(frame(MacAddress.BROADCAST, C, 3));
        assertThat(drain(a)).containsExactly(3);
        assertThat(drain(b)).containsExactly(3);
        b.close();
        a.send(frame(B, A, 4)); // B gone: flooded to whoever is left
        assertThat(drain(c)).containsExactly(4);
    }

    @Test
    void awaitReturnsOnArrivalAndOnWakeup() throws Exception {
        var sw = new VirtualSwitch();
        var a = sw.port(A);
        var b = sw.port(B);
        var waiting = Thread.currentThread();
        long t0 = System.nanoTime();
        Thread.ofPlatform().start(() -> {
            try {
                Await.blocked(waiting); // the frame has to wake the await, not precede it
                a.send(frame(B, A, 9));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        b.await(5_000_000_000L);
        assertThat(System.nanoTime() - t0).isLessThan(4_000_000_000L);
        assertThat(drain(b)).containsExactly(9);
        b.wakeup();
        t0 = System.nanoTime();
        b.await(5_000_000_000L);
        assertThat(System.nanoTime() - t0).isLessThan(4_000_000_000L);
    }

    @Test
    void pcapRecorderWritesBothDirections() throws Exception {
        var out = new ByteArrayOutputStream();
        var sw = new VirtualSwitch();
        var peer = sw.port(B);
        long[] now = {1_000_000_000L};
        var rec = new PcapRecorder(sw.port(A), new PcapWriter(out), () -> now[0]++);
        rec.send(frame(B, A, 1));
        peer.send(frame(A, B, 2));
        assertThat(drain(rec)).containsExactly(2);
        rec.close();
        var records = PcapReader.read(ByteBuffer.wrap(out.toByteArray()));
        assertThat(records).extracting(PcapReader.Record::frame).containsExactly(frame(B, A, 1), frame(A, B, 2));
        assertThat(records.get(1).epochNanos()).isEqualTo(1_000_000_001L);
    }

    /** Sends 1000 frames through an injector and returns what came out, in order, with the time advanced 1 ms per step. */
    static List<Integer> run(Faults faults, long seed) throws Exception {
        var sw = new VirtualSwitch(1500, 4096);
        var tx = sw.port(A);
        long[] now = {0};
        var rx = new FaultInjector(sw.port(B), faults, () -> now[0], new Random(seed));
        var got = new ArrayList<Integer>();
        for (int i = 0; i < 1000; i++) {
            tx.send(frame(B, A, i & 0x7f));
            now[0] += 1_000_000;
            got.addAll(drain(rx));
        }
        now[0] += 1_000_000_000;
        got.addAll(drain(rx));
        return got;
    }

    @Test
    void faultsAreSeededAndHaveTheRightRates() throws Exception {
        var faults = new Faults(0.2, 0.1, 0.1, 0, 3_000_000, 10_000_000);
        var first = run(faults, 42);
        assertThat(run(faults, 42)).isEqualTo(first); // same seed, same run
        assertThat(run(faults, 43)).isNotEqualTo(first);
        // about 800 survive loss, plus about 80 duplicates
        assertThat(first.size()).isBetween(800, 960);
        assertThat(run(Faults.NONE, 1)).hasSize(1000);
    }

    @Test
    void delayHoldsFramesBackAndReorderingLetsOthersOvertake() throws Exception {
        var sw = new VirtualSwitch();
        var tx = sw.port(A);
        long[] now = {0};
        var rx = new FaultInjector(sw.port(B), Faults.NONE.withDelay(5_000_000), () -> now[0], new Random(1));
        tx.send(frame(B, A, 1));
        assertThat(drain(rx)).isEmpty();
        assertThat(rx.nextDue()).isEqualTo(5_000_000);
        now[0] = 5_000_000;
        assertThat(drain(rx)).containsExactly(1);

        var reorder =
                new FaultInjector(sw.port(C), Faults.NONE.withReorder(1.0, 10_000_000), () -> now[0], new Random(1));
        tx.send(frame(C, A, 2));
        now[0] += 1;
        assertThat(drain(reorder)).isEmpty(); // frame 2 pulled in and held for 10 ms
        reorder.setFaults(Faults.NONE);
        tx.send(frame(C, A, 3));
        var got = new ArrayList<Integer>(drain(reorder));
        now[0] += 20_000_000;
        got.addAll(drain(reorder));
        assertThat(got).containsExactly(3, 2);
    }

    @Test
    void corruptionFlipsExactlyOneBit() throws Exception {
        var sw = new VirtualSwitch();
        var tx = sw.port(A);
        var rx = new FaultInjector(sw.port(B), Faults.NONE.withCorrupt(1.0), () -> 0, new Random(5));
        var sent = frame(B, A, 7);
        tx.send(sent);
        var b = ByteBuffer.allocate(1600);
        int n = rx.receive(b);
        int bits = 0;
        for (int i = 0; i < n; i++) bits += Integer.bitCount((b.get(i) ^ sent.get(i)) & 0xff);
        assertThat(bits).isEqualTo(1);
    }
}
