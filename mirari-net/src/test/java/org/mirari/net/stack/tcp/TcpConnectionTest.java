package org.mirari.net.stack.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirari.net.wire.TcpSegment.ACK_FLAG;
import static org.mirari.net.wire.TcpSegment.FIN;
import static org.mirari.net.wire.TcpSegment.PSH;
import static org.mirari.net.wire.TcpSegment.RST;
import static org.mirari.net.wire.TcpSegment.SYN;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.TcpOptions;
import org.mirari.net.wire.TcpSegment;

/**
 * One connection, scripted on a virtual clock (smoltcp's style): inject a segment from the peer,
 * expect exactly the segments the connection sends, advance time. Covers every state and
 * transition, and the failures other stacks had (named in each test).
 */
class TcpConnectionTest {
    static final Ipv4Address US = Ipv4Address.parse("10.0.0.2"), PEER = Ipv4Address.parse("10.0.0.3");
    static final TcpTuple T = new TcpTuple(US, 80, PEER, 5000);
    static final int MSS = 1460, ISS = 1000, PEER_ISS = 50_000;
    static final long MS = 1_000_000L;

    long now = 5_000_000_000L;
    TcpConnection c;
    TcpConfig cfg = TcpConfig.DEFAULT;

    // ------------------------------------------------------------------ the script language

    static TcpSegment seg(int flags, int seq, int ack, int window, TcpOptions opts, byte[] data) {
        return new TcpSegment(5000, 80, seq, ack, flags, window, 0, opts, ByteBuffer.wrap(data));
    }

    static TcpSegment seg(int flags, int seq, int ack, int window) {
        return seg(flags, seq, ack, window, TcpOptions.NONE, new byte[0]);
    }

    /** Data from the peer, in its established sequence space. */
    TcpSegment data(int offset, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (offset + i);
        return seg(ACK_FLAG | PSH, PEER_ISS + 1 + offset, c == null ? 0 : sndNxtSeen, 65535, TcpOptions.NONE, b);
    }

    int sndNxtSeen = ISS + 1;

    void inject(TcpSegment s) {
        c.input(s, now);
    }

    List<TcpSegment> out() {
        var l = new ArrayList<TcpSegment>();
        c.output(now, l::add);
        for (var s : l)
            if (s.has(SYN) || s.payload().remaining() > 0 || s.has(FIN))
                sndNxtSeen = Seq.max(sndNxtSeen, s.seq() + s.sequenceLength());
        return l;
    }

    TcpSegment one() {
        var l = out();
        assertThat(l).as("segments sent").hasSize(1);
        return l.getFirst();
    }

    void nothing() {
        assertThat(out()).as("segments sent").isEmpty();
    }

    void advance(long ms) {
        now += ms * MS;
    }

    /** Runs timers up to {@code ms} later, collecting what is sent. */
    List<TcpSegment> runFor(long ms) {
        var all = new ArrayList<TcpSegment>();
        long end = now + ms * MS;
        while (true) {
            long at = c.pollAt();
            if (at > end) break;
            now = Math.max(now, at);
            all.addAll(out());
        }
        now = end;
        return all;
    }

    void write(int n) throws Exception {
        var b = ByteBuffer.allocate(n);
        assertThat(c.write(b)).isEqualTo(n);
    }

    /** A connection we opened, now ESTABLISHED with a peer that offered window scale 7 and 65535 bytes. */
    void established() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        var syn = one();
        assertThat(syn.has(SYN)).isTrue();
        inject(seg(SYN | ACK_FLAG, PEER_ISS, ISS + 1, 65535, new TcpOptions(MSS, 7, false), new byte[0]));
        var ack = one();
        assertThat(ack.flags()).isEqualTo(ACK_FLAG);
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        // a window update from the peer, now scaled: 512 << 7 = 64 KiB
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
        nothing();
    }

    // ------------------------------------------------------------------ handshakes

    @Test
    void activeOpenOffersMssAndWindowScaleWithAnUnscaledWindow() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
        var syn = one();
        assertThat(syn.flags()).isEqualTo(SYN);
        assertThat(syn.seq()).isEqualTo(ISS);
        assertThat(syn.options().mss()).isEqualTo(MSS);
        assertThat(syn.options().windowScale()).isEqualTo(5); // 1 MiB >> 5 fits 16 bits
        assertThat(syn.window()).isEqualTo(65535); // never scaled in a SYN (RFC 7323 2.2)
        inject(seg(SYN | ACK_FLAG, PEER_ISS, ISS + 1, 1000, new TcpOptions(1200, 7, false), new byte[0]));
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        // known failure elsewhere: the scale applied to the SYN-ACK's own window
        assertThat(c.sendWindow()).isEqualTo(1000);
        assertThat(c.mss()).isEqualTo(1200);
        var ack = one();
        assertThat(ack.flags()).isEqualTo(ACK_FLAG);
        assertThat(ack.ack()).isEqualTo(PEER_ISS + 1);
        assertThat(ack.window()).isEqualTo((1 << 20) >> 5 == 32768 ? 32768 : ack.window()); // scaled from now on
    }

    @Test
    void passiveOpenWithoutWindowScaleNegotiatesNone() {
        var syn = seg(SYN, PEER_ISS, 0, 8000, new TcpOptions(-1, -1, false), new byte[0]);
        c = TcpConnection.accept(cfg, T, ISS, MSS, syn, now);
        assertThat(c.state()).isEqualTo(TcpState.SYN_RECEIVED);
        var synAck = one();
        assertThat(synAck.flags()).isEqualTo(SYN | ACK_FLAG);
        assertThat(synAck.ack()).isEqualTo(PEER_ISS + 1);
        assertThat(synAck.options().windowScale()).isEqualTo(-1); // the peer offered none: we offer none (RFC 7323 1.3)
        assertThat(synAck.options().mss()).isEqualTo(MSS);
        assertThat(c.mss()).isEqualTo(536); // no MSS option: RFC 9293 3.7.1's default
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 8000));
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(c.sendWindow()).isEqualTo(8000);
        assertThat(c.receiveWindowScale()).isZero();
        nothing();
    }

    @Test
    void synAckIsRetransmittedWithBackoffThenTheEmbryoDies() {
        c = TcpConnection.accept(cfg, T, ISS, MSS, seg(SYN, PEER_ISS, 0, 8000), now);
        one();
        var sent = runFor(200_000);
        assertThat(sent).hasSize(cfg.synAckRetries()).allMatch(s -> s.has(SYN) && s.has(ACK_FLAG));
        assertThat(c.isClosed()).isTrue(); // no leak of a half-open connection
        assertThat(c.pollAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRetransmittedSynInSynReceivedGetsTheSynAckAgain() {
        c = TcpConnection.accept(cfg, T, ISS, MSS, seg(SYN, PEER_ISS, 0, 8000), now);
        one();
        inject(seg(SYN, PEER_ISS, 0, 8000));
        var again = one();
        assertThat(again.flags()).isEqualTo(SYN | ACK_FLAG);
        assertThat(again.seq()).isEqualTo(ISS);
    }

    @Test
    void simultaneousOpen() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        one();
        inject(seg(SYN, PEER_ISS, 0, 65535, new TcpOptions(MSS, 2, false), new byte[0]));
        assertThat(c.state()).isEqualTo(TcpState.SYN_RECEIVED);
        var synAck = one();
        assertThat(synAck.flags()).isEqualTo(SYN | ACK_FLAG);
        assertThat(synAck.seq()).isEqualTo(ISS); // the same ISN again
        assertThat(synAck.ack()).isEqualTo(PEER_ISS + 1);
        inject(seg(SYN | ACK_FLAG, PEER_ISS, ISS + 1, 65535, new TcpOptions(MSS, 2, false), new byte[0]));
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 1000));
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void connectRefusedByRst() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        one();
        inject(seg(RST | ACK_FLAG, 0, ISS + 1, 0));
        assertThat(c.isClosed()).isTrue();
        assertThat(c.error()).hasMessage("Connection refused");
    }

    @Test
    void synSentIgnoresAnRstWithABadAckAndResetsABadAck() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        one();
        inject(seg(RST | ACK_FLAG, 0, ISS + 77, 0)); // not for our SYN: ignored
        assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
        inject(seg(ACK_FLAG, 9, ISS + 77, 0)); // an ACK of nothing we sent: RST with its ack as seq
        var rst = one();
        assertThat(rst.flags()).isEqualTo(RST);
        assertThat(rst.seq()).isEqualTo(ISS + 77);
    }

    @Test
    void connectTimesOutAfterTheSynRetries() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        one();
        var sent = runFor(600_000);
        assertThat(sent).hasSize(cfg.synRetries());
        assertThat(c.isClosed()).isTrue();
        assertThat(c.error()).hasMessage("Connection timed out");
    }

    // ------------------------------------------------------------------ closing

    @Test
    void activeCloseThroughFinWait2AndTimeWait() throws Exception {
        established();
        c.close(now);
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_1);
        var fin = one();
        assertThat(fin.flags()).isEqualTo(FIN | ACK_FLAG);
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 2, 512));
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_2);
        inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 2, 512));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(one().ack()).isEqualTo(PEER_ISS + 2);
        advance(30_000);
        inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 2, 512)); // the peer lost our ACK: ACK again, restart 2 MSL
        assertThat(one().ack()).isEqualTo(PEER_ISS + 2);
        advance(59_000);
        nothing();
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        runFor(2000);
        assertThat(c.isClosed()).isTrue();
        assertThat(c.pollAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void simultaneousCloseGoesThroughClosingAndLeavesNothing() throws Exception {
        established();
        c.close(now);
        one();
        inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 1, 512)); // the peer's FIN crosses ours
        assertThat(c.state()).isEqualTo(TcpState.CLOSING);
        assertThat(one().ack()).isEqualTo(PEER_ISS + 2);
        // known leak elsewhere: CLOSING without a retransmission timer; here our FIN is resent
        var resent = runFor(1500);
        assertThat(resent).anyMatch(s -> s.has(FIN));
        inject(seg(ACK_FLAG, PEER_ISS + 2, ISS + 2, 512));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        runFor(61_000);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void halfCloseKeepsTheOtherDirectionOpen() throws Exception {
        established();
        inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
        assertThat(c.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(c.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        one();
        write(3000);
        var sent = out();
        assertThat(sent).hasSize(2).allMatch(s -> s.payload().remaining() == MSS); // the peer's read side is still open
        inject(seg(ACK_FLAG, PEER_ISS + 2, ISS + 1 + 2 * MSS, 512));
        assertThat(one().payload().remaining()).isEqualTo(80); // Nagle held the tail until the ACK
        c.close(now);
        assertThat(c.state()).isEqualTo(TcpState.LAST_ACK);
        var fin = one();
        assertThat(fin.has(FIN)).isTrue();
        assertThat(fin.seq()).isEqualTo(ISS + 1 + 3000);
        inject(seg(ACK_FLAG, PEER_ISS + 2, ISS + 3002, 512));
        assertThat(c.isClosed()).isTrue();
        assertThat(c.error()).isNull();
    }

    @Test
    void anOrphanInFinWait2IsDroppedAfterTheFinTimeout() throws Exception {
        established();
        c.close(now);
        one();
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 2, 512));
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_2);
        runFor(61_000);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void closingWithUnreadDataResets() throws Exception {
        established();
        inject(data(0, 100));
        c.close(now);
        var rst = one();
        assertThat(rst.has(RST)).isTrue();
        assertThat(c.isClosed()).isTrue();
    }

    // ------------------------------------------------------------------ RST and RFC 5961

    /** Brings the connection to {@code state} (each reachable one), returning the peer's next in-window sequence number. */
    int bringTo(TcpState state) throws Exception {
        switch (state) {
            case SYN_RECEIVED -> {
                c = TcpConnection.accept(cfg, T, ISS, MSS, seg(SYN, PEER_ISS, 0, 8000), now);
                one();
            }
            case ESTABLISHED -> established();
            case FIN_WAIT_1 -> {
                established();
                c.close(now);
                one();
            }
            case FIN_WAIT_2 -> {
                established();
                c.shutdownOutput();
                one();
                inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 2, 512));
            }
            case CLOSE_WAIT -> {
                established();
                inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
                one();
                return PEER_ISS + 2;
            }
            case CLOSING -> {
                established();
                c.close(now);
                one();
                inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
                one();
                return PEER_ISS + 2;
            }
            case LAST_ACK -> {
                established();
                inject(seg(FIN | ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
                one();
                c.close(now);
                one();
                return PEER_ISS + 2;
            }
            default -> throw new IllegalArgumentException();
        }
        assertThat(c.state()).isEqualTo(state);
        return PEER_ISS + 1;
    }

    @ParameterizedTest
    @EnumSource(
            value = TcpState.class,
            names = {"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK"})
    void anExactRstClosesEveryStateWithNothingLeft(TcpState state) throws Exception {
        int next = bringTo(state);
        assertThat(c.state()).isEqualTo(state);
        inject(seg(RST, next, 0, 0));
        assertThat(c.isClosed()).isTrue();
        assertThat(c.pollAt()).isEqualTo(Long.MAX_VALUE); // no timer holds it (known leak elsewhere)
        nothing();
    }

    @ParameterizedTest
    @EnumSource(
            value = TcpState.class,
            names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK"})
    void anInWindowButInexactRstGetsAChallengeAck(TcpState state) throws Exception {
        int next = bringTo(state);
        inject(seg(RST, next + 1000, 0, 0));
        assertThat(c.state()).isEqualTo(state);
        var ack = out().getFirst();
        assertThat(ack.flags() & (ACK_FLAG | RST)).isEqualTo(ACK_FLAG);
        assertThat(ack.ack()).isEqualTo(next);
        inject(seg(RST, next + 100_000_000, 0, 0)); // outside the window: silently dropped
        nothing();
        assertThat(c.state()).isEqualTo(state);
    }

    @Test
    void aSynInEstablishedGetsAChallengeAckNotAReset() throws Exception {
        established();
        inject(seg(SYN, PEER_ISS + 1, 0, 512));
        var ack = one();
        assertThat(ack.flags()).isEqualTo(ACK_FLAG);
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void anAckOfUnsentDataIsChallengedAndDropped() throws Exception {
        established();
        inject(seg(ACK_FLAG | PSH, PEER_ISS + 1, ISS + 5000, 512, TcpOptions.NONE, new byte[] {1, 2}));
        assertThat(c.readable()).isZero();
        assertThat(one().ack()).isEqualTo(PEER_ISS + 1);
    }

    @Test
    void challengeAcksAreRateLimited() throws Exception {
        established();
        int sent = 0;
        for (int i = 0; i < 50; i++) {
            inject(seg(SYN, PEER_ISS + 1, 0, 512));
            sent += out().size();
        }
        assertThat(sent).isEqualTo(10);
    }

    // ------------------------------------------------------------------ retransmission (RFC 6298)

    @Test
    void theRtoBacksOffAndANewAckRestartsItWithoutLosingTheBackoff() throws Exception {
        established();
        long base = c.rto();
        write(3 * MSS);
        assertThat(out()).hasSize(3);
        advance(base / MS - 1);
        nothing();
        advance(1);
        var r1 = one();
        assertThat(r1.seq()).isEqualTo(ISS + 1);
        assertThat(c.backoff()).isEqualTo(1);
        advance(2 * base / MS - 1);
        nothing();
        advance(1);
        assertThat(one().seq()).isEqualTo(ISS + 1); // doubled
        assertThat(c.backoff()).isEqualTo(2);
        // known failure elsewhere: a new ACK must restart the timer (5.3) and keep the backoff (5.5, Karn)
        advance(10);
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1 + MSS, 512));
        out(); // go-back: the next segment
        assertThat(c.backoff()).isEqualTo(2);
        assertThat(c.pollAt() - now).isEqualTo(4 * base);
    }

    @Test
    void aFastLinkGetsTheTwoHundredMillisecondFloorNotOneSecond() throws Exception {
        established();
        for (int i = 0; i < 10; i++) {
            write(100);
            out();
            advance(1);
            inject(seg(ACK_FLAG, PEER_ISS + 1, sndNxtSeen, 512));
        }
        assertThat(c.rto()).isEqualTo(200 * MS);
        write(100);
        out();
        var r = runFor(200);
        assertThat(r).hasSize(1); // retransmitted after 200 ms, where a 1 s floor would still wait
    }

    @Test
    void theFloorIsConfigurable() throws Exception {
        cfg = TcpConfig.DEFAULT.withMinRto(50 * MS);
        established();
        for (int i = 0; i < 5; i++) {
            write(100);
            out();
            advance(1);
            inject(seg(ACK_FLAG, PEER_ISS + 1, sndNxtSeen, 512));
        }
        assertThat(c.rto()).isEqualTo(50 * MS);
    }

    @Test
    void dataIsAbortedAfterTheRetries() throws Exception {
        established();
        write(10);
        out();
        runFor(3_600_000);
        assertThat(c.isClosed()).isTrue();
        assertThat(c.error()).hasMessageContaining("Connection timed out");
    }

    // ------------------------------------------------------------------ congestion control

    @Test
    void theInitialWindowIsTenSegments() throws Exception {
        established();
        write(30 * MSS);
        var sent = out();
        assertThat(sent).hasSize(10).allMatch(s -> s.payload().remaining() == MSS);
    }

    @Test
    void threeDuplicateAcksRetransmitAtOnceAndNewRenoRecovers() throws Exception {
        established();
        write(10 * MSS);
        assertThat(out()).hasSize(10);
        long flight = 10L * MSS;
        for (int i = 0; i < 3; i++) inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
        var rtx = out();
        assertThat(rtx).isNotEmpty();
        assertThat(rtx.getFirst().seq()).isEqualTo(ISS + 1);
        assertThat(c.ssthresh()).isEqualTo(flight / 2);
        // a partial ACK retransmits the next hole at once (RFC 6582)
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1 + 2 * MSS, 512));
        var next = out();
        assertThat(next.getFirst().seq()).isEqualTo(ISS + 1 + 2 * MSS);
        // the full ACK ends recovery with cwnd at ssthresh
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1 + 10 * MSS, 512));
        assertThat(c.congestionWindow()).isLessThanOrEqualTo(flight / 2 + MSS);
    }

    // ------------------------------------------------------------------ windows

    @Test
    void aZeroWindowIsProbedWithBackoffAndDataFlowsWhenItOpens() throws Exception {
        established();
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 0));
        write(5000);
        nothing();
        long base = c.rto();
        var times = new ArrayList<Long>();
        long start = now;
        for (int i = 0; i < 4; i++) {
            now = c.pollAt();
            var p = one();
            assertThat(p.seq()).isEqualTo(ISS); // an ACK below SND.UNA, which the peer must answer
            assertThat(p.payload().remaining()).isZero();
            times.add(now - start);
        }
        assertThat(times).containsExactly(base, 3 * base, 7 * base, 15 * base); // backed off: 1, 2, 4, 8 times the RTO
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 100)); // the window opens: 100 << 7
        var sent = out();
        assertThat(sent).isNotEmpty();
        assertThat(sent.getFirst().seq()).isEqualTo(ISS + 1);
    }

    @Test
    void readingFromAClosedWindowSendsAWindowUpdate() throws Exception {
        cfg = TcpConfig.DEFAULT.withBuffers(1 << 20, 8192);
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        one();
        inject(seg(SYN | ACK_FLAG, PEER_ISS, ISS + 1, 65535, new TcpOptions(MSS, 0, false), new byte[0]));
        one();
        for (int off = 0; off < 8192; off += 1024) inject(data(off, 1024));
        var acks = out();
        assertThat(acks.getLast().window()).isZero();
        nothing();
        // known stall elsewhere: the app drains, and nothing tells the peer the window is open again
        assertThat(c.read(ByteBuffer.allocate(8192))).isEqualTo(8192);
        var update = one();
        assertThat(update.window()).isEqualTo(8192);
        assertThat(update.ack()).isEqualTo(PEER_ISS + 1 + 8192);
    }

    @Test
    void aSendBufferSmallerThanTheMssDoesNotStall() throws Exception {
        cfg = TcpConfig.DEFAULT.withBuffers(100, 1 << 20);
        established();
        assertThat(c.sendBufferSize()).isGreaterThanOrEqualTo(2 * MSS);
        write(2 * MSS);
        assertThat(out()).hasSize(2).allMatch(s -> s.payload().remaining() == MSS);
    }

    // ------------------------------------------------------------------ ACKs, Nagle

    @Test
    void delayedAckWaitsFortyMillisecondsForOneSegmentAndNotForTwo() throws Exception {
        established();
        inject(data(0, MSS));
        nothing();
        advance(39);
        nothing();
        advance(1);
        assertThat(one().ack()).isEqualTo(PEER_ISS + 1 + MSS);
        inject(data(MSS, MSS));
        inject(data(2 * MSS, MSS));
        assertThat(one().ack()).isEqualTo(PEER_ISS + 1 + 3 * MSS); // every second full segment at once
    }

    @Test
    void outOfOrderSegmentsAreHeldDupAckedAndDeliveredInOrder() throws Exception {
        established();
        inject(data(1000, 1000));
        assertThat(one().ack()).isEqualTo(PEER_ISS + 1); // a duplicate ACK at once
        inject(data(2000, 1000));
        assertThat(one().ack()).isEqualTo(PEER_ISS + 1);
        assertThat(c.outOfOrderSegments()).isEqualTo(2);
        inject(data(0, 1000));
        assertThat(one().ack()).isEqualTo(PEER_ISS + 1 + 3000); // the hole filled: ACK at once
        var b = ByteBuffer.allocate(4000);
        assertThat(c.read(b)).isEqualTo(3000);
        for (int i = 0; i < 3000; i++) assertThat(b.get(i)).isEqualTo((byte) i);
    }

    /** As {@link #established()}, with a peer whose SYN-ACK offered SACK (RFC 2018 2), as Linux's does. */
    void establishedWithSack() {
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        var syn = one();
        assertThat(syn.options().sackPermitted()).as("our SYN offers SACK").isTrue();
        inject(seg(SYN | ACK_FLAG, PEER_ISS, ISS + 1, 65535, new TcpOptions(MSS, 7, true), new byte[0]));
        assertThat(one().flags()).isEqualTo(ACK_FLAG);
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1, 512));
        nothing();
    }

    static TcpOptions.SackBlock block(int from, int to) {
        return new TcpOptions.SackBlock(PEER_ISS + 1 + from, PEER_ISS + 1 + to);
    }

    @Test
    void duplicateAcksCarrySackBlocksNewestFirst() throws Exception {
        // Linux as a sender without SACK from us counted our duplicate ACKs as reordering, raised its
        // duplicate threshold and recovered each loss by RTO only, holding our queue at ~700 segments.
        establishedWithSack();
        inject(data(1000, 1000));
        var d1 = one();
        assertThat(d1.ack()).isEqualTo(PEER_ISS + 1);
        assertThat(d1.payload().remaining()).isZero();
        assertThat(d1.options().sack()).containsExactly(block(1000, 2000));
        inject(data(3000, 1000)); // a second hole
        assertThat(one().options().sack()).containsExactly(block(3000, 4000), block(1000, 2000));
        inject(data(2000, 1000)); // joins the two runs
        assertThat(one().options().sack()).containsExactly(block(1000, 4000));
        inject(data(6000, 500));
        inject(data(5000, 500));
        inject(data(8000, 500));
        inject(data(7000, 500));
        // the newest first, then the ones reported before it (RFC 2018 4), at most four
        var last = out().getLast();
        assertThat(last.options().sack())
                .containsExactly(block(7000, 7500), block(8000, 8500), block(5000, 5500), block(6000, 6500));
        assertThat(last.length()).isLessThanOrEqualTo(TcpSegment.MAX_HEADER_LEN);
        inject(data(0, 1000)); // the first hole filled: the rest is still reported
        var filled = one();
        assertThat(filled.ack()).isEqualTo(PEER_ISS + 1 + 4000);
        assertThat(filled.options().sack()).hasSize(4).doesNotContain(block(1000, 4000));
        // everything in: no SACK blocks any more
        inject(data(4000, 1000));
        inject(data(5500, 500));
        inject(data(6500, 500));
        inject(data(7500, 500));
        var all = out().getLast();
        assertThat(all.ack()).isEqualTo(PEER_ISS + 1 + 8500);
        assertThat(all.options().sack()).isEmpty();
    }

    /** A duplicate ACK from the peer carrying SACK blocks, in segment numbers {@code [from, to)} of MSS each. */
    TcpSegment sackAck(int... fromTo) {
        var blocks = new ArrayList<TcpOptions.SackBlock>();
        for (int i = 0; i < fromTo.length; i += 2)
            blocks.add(new TcpOptions.SackBlock(ISS + 1 + fromTo[i] * MSS, ISS + 1 + fromTo[i + 1] * MSS));
        return new TcpSegment(
                5000, 80, PEER_ISS + 1, ISS + 1, ACK_FLAG, 512, 0, TcpOptions.sack(blocks), ByteBuffer.allocate(0));
    }

    @Test
    void withSackEveryLostHoleIsResentInOneRecoveryNotOnePerRoundTrip() throws Exception {
        establishedWithSack();
        write(10 * MSS);
        assertThat(out()).hasSize(10); // the initial window
        // segments 0 and 4 are lost; the peer SACKs the rest as it arrives
        inject(sackAck(1, 2));
        inject(sackAck(1, 3));
        nothing(); // two segments' worth SACKed: not yet a loss (RFC 6675 IsLost)
        inject(sackAck(1, 4));
        var first = one(); // more than two MSS above SND.UNA: segment 0 is lost, resent at once
        assertThat(first.seq()).isEqualTo(ISS + 1);
        assertThat(first.payload().remaining()).isEqualTo(MSS);
        inject(sackAck(5, 6, 1, 4));
        inject(sackAck(5, 7, 1, 4));
        inject(sackAck(5, 8, 1, 4));
        inject(sackAck(5, 9, 1, 4));
        // segment 4 has three MSS SACKed above it: resent in this recovery, without a partial ACK
        var resent = new ArrayList<TcpSegment>();
        resent.addAll(out());
        inject(sackAck(5, 10, 1, 4));
        resent.addAll(out());
        assertThat(resent).extracting(TcpSegment::seq).contains(ISS + 1 + 4 * MSS);
        assertThat(resent).extracting(TcpSegment::seq).doesNotContain(ISS + 1); // segment 0 only once
        assertThat(c.stats().retransmits).isEqualTo(2);
        // both holes filled: one ACK for everything ends the recovery
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 1 + 10 * MSS, 512));
        assertThat(c.describe(now)).contains("recovery=false");
    }

    @Test
    void noSackBlocksToAPeerThatDidNotOfferSack() throws Exception {
        established();
        inject(data(1000, 1000));
        assertThat(one().options()).isEqualTo(TcpOptions.NONE);
    }

    @Test
    void aSynAckOffersSackOnlyWhenTheSynDid() {
        var withSack = seg(SYN, PEER_ISS, 0, 65535, new TcpOptions(MSS, 7, true), new byte[0]);
        c = TcpConnection.accept(cfg, T, ISS, MSS, withSack, now);
        assertThat(one().options().sackPermitted()).isTrue();
        var without = seg(SYN, PEER_ISS, 0, 65535, new TcpOptions(MSS, 7, false), new byte[0]);
        c = TcpConnection.accept(cfg, T, ISS, MSS, without, now);
        assertThat(one().options().sackPermitted()).isFalse();
        // and with SACK turned off, neither our SYN nor our SYN-ACK offers it
        cfg = TcpConfig.DEFAULT.withSack(false);
        c = TcpConnection.connect(cfg, T, ISS, MSS, now);
        assertThat(one().options().sackPermitted()).isFalse();
        c = TcpConnection.accept(cfg, T, ISS, MSS, withSack, now);
        assertThat(one().options().sackPermitted()).isFalse();
    }

    @Test
    void outOfOrderReassemblyIsBounded() throws Exception {
        established();
        for (int i = 1; i <= cfg.maxOutOfOrder() + 20; i++) inject(data(i * 100, 50));
        assertThat(c.outOfOrderSegments()).isEqualTo(cfg.maxOutOfOrder());
        assertThat(c.stats().outOfOrderDropped).isEqualTo(20);
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledgedAndNoDelayDoesNot() throws Exception {
        established();
        write(10);
        assertThat(one().payload().remaining()).isEqualTo(10);
        write(10);
        nothing(); // Nagle: one small segment in flight at a time
        inject(seg(ACK_FLAG, PEER_ISS + 1, ISS + 11, 512));
        assertThat(one().payload().remaining()).isEqualTo(10);
        c.setNoDelay(true);
        write(10);
        assertThat(one().payload().remaining()).isEqualTo(10);
    }

    // ------------------------------------------------------------------ keepalive, ISN

    @Test
    void keepaliveIsOffByDefaultAndProbesWhenOn() throws Exception {
        established();
        assertThat(runFor(3 * 3_600_000L)).isEmpty();
        assertThat(c.keepAlive()).isFalse();
        cfg = TcpConfig.DEFAULT.withKeepAlive(10_000 * MS, 1_000 * MS, 3);
        established();
        c.setKeepAlive(true, now);
        var probes = runFor(20_000);
        assertThat(probes)
                .hasSize(3)
                .allMatch(s -> s.seq() == ISS && s.payload().remaining() == 0);
        assertThat(c.isClosed()).isTrue();
        assertThat(c.error()).hasMessageContaining("keepalive");
    }

    @Test
    void isnsFollowRfc6528() {
        var g = new IsnGenerator(new Random(1));
        int a = g.isn(T, 0), b = g.isn(new TcpTuple(US, 81, PEER, 5000), 0);
        assertThat(a).isNotEqualTo(b);
        assertThat(g.isn(T, 4_000_000L) - a).isEqualTo(1000); // 4 microsecond ticks
        assertThat(new IsnGenerator(new Random(2)).isn(T, 0)).isNotEqualTo(a); // keyed by a secret
    }
}
