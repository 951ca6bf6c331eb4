package org.mirari.net.stack.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mirari.net.wire.TcpOptions;
import org.mirari.net.wire.TcpSegment;

/**
 * One TCP connection's TCB and state machine (RFC 9293 3.10). The stack calls {@link #input} with
 * each segment for this 4-tuple, {@link #output} when {@link #pollAt} is due or after input or an
 * application call, and the application reads and writes through {@link #read}, {@link #write},
 * {@link #shutdownOutput} and {@link #close}. Not thread-safe: the stack's lock guards it.
 *
 * <p>Send side: {@code sndUna} is the first unacknowledged sequence number and byte 0 of the send
 * buffer once the SYN is acknowledged; {@code sndNxt} the next to send (rewound to {@code sndUna}
 * on a retransmission timeout, go-back-N); {@code sndMax} the highest ever sent. Receive side:
 * in-order bytes go to the receive buffer, others to a bounded reassembly list.
 */
public final class TcpConnection {
    /** Readiness bits, for selectors and blocked threads. */
    public static final int READABLE = 1, WRITABLE = 2, CONNECTED = 4, FAILED = 8;

    private final TcpConfig cfg;
    private final TcpTuple tuple;
    private final int localMss;
    private TcpState state;
    private final boolean passive;

    // send sequence space (RFC 9293 3.3.1)
    private final int iss;
    private int sndUna, sndNxt, sndMax, sndWl1, sndWl2;
    private long sndWnd, maxSndWnd;
    private int sndWscale, rcvWscale;
    private int smss;
    private int segmentOffload; // 0, or the largest segment a TSO device takes and cuts at smss
    private final ByteRing sendBuf;
    private boolean finQueued;

    // receive sequence space
    private int irs, rcvNxt, rcvAdvRight;
    private final ByteRing recvBuf;
    private final List<Held> outOfOrder = new ArrayList<>();
    private int outOfOrderBytes;
    private int heldFinSeq;
    private boolean heldFin, finReceived, readClosed;
    private int rcvMss;

    // timers: absolute nanoseconds, Long.MAX_VALUE when off
    private static final long OFF = Long.MAX_VALUE;
    private long rtoAt = OFF, delAckAt = OFF, persistAt = OFF, keepAliveAt = OFF, closeAt = OFF;
    private int backoff, retries, persistBackoff, keepAliveSent;
    private final RttEstimator rtt;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;

    // congestion control: NewReno (RFC 5681, RFC 6582)
    private long cwnd, ssthresh = Long.MAX_VALUE / 4, caAcked;
    private int dupAcks;
    private boolean inRecovery;
    private int recover;
    private boolean retransmitHead;
    /** The peer's SACK blocks above SND.UNA, sorted and merged: RFC 6675's scoreboard (empty without SACK). */
    private final ArrayList<TcpOptions.SackBlock> scoreboard = new ArrayList<>();
    /** In recovery led by the scoreboard (RFC 6675) rather than by NewReno's partial ACKs. */
    private boolean sackRecovery;
    /** RFC 6675 HighRxt: where the next retransmission of a lost hole may start. */
    private int highRxt;

    // what output owes the peer
    private boolean ackNow;
    private int ackedUpTo; // the rcvNxt our last segment acknowledged
    private boolean sendRst;
    private int rstSeq;
    private boolean nodelay, keepAlive, peerWs, sackOk, forceSend, dupAckNow;
    /** Where the latest out-of-order segments began, newest first: the order of the SACK blocks (RFC 2018 4). */
    private final java.util.ArrayDeque<Integer> recentOutOfOrder = new java.util.ArrayDeque<>();

    private int probesUnanswered;
    private long lastChallenge = Long.MIN_VALUE;
    private int challenges;

    private IOException error;
    private final Stats stats = new Stats();
    /** The stack's handle for this connection (its socket), if any. */
    public Object attachment;
    /** When the stack has this connection scheduled for {@link #output} (its timer-heap entry). */
    public long scheduledAt = Long.MAX_VALUE;

    /** Counters shared with the stack's TCP statistics. */
    public static final class Stats {
        public long segmentsOut, retransmits, challengeAcks, resetsOut, dropped, outOfOrderDropped;
    }

    private record Held(int seq, byte[] data) {}

    private TcpConnection(TcpConfig cfg, TcpTuple tuple, int iss, int localMss, boolean passive, long now) {
        this.cfg = cfg;
        this.tuple = tuple;
        this.iss = iss;
        this.localMss = localMss;
        this.passive = passive;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.recover = iss; // RFC 6582 3.2 step 1
        this.smss = Math.min(536, localMss);
        this.sendBuf = new ByteRing(Math.max(cfg.sendBuffer(), 2 * localMss));
        this.recvBuf = new ByteRing(cfg.receiveBuffer());
        this.rtt = new RttEstimator(cfg);
        // RFC 7323 2.3: the smallest shift that lets the whole buffer be offered
        int shift = 0;
        while (shift < TcpOptions.MAX_WSCALE && (cfg.receiveBuffer() >> shift) > 0xffff) shift++;
        this.rcvWscale = shift;
        this.rcvMss = localMss;
    }

    /** An active open (RFC 9293 3.10.1): SYN-SENT; {@link #output} sends the SYN. */
    public static TcpConnection connect(TcpConfig cfg, TcpTuple tuple, int iss, int localMss, long now) {
        var c = new TcpConnection(cfg, tuple, iss, localMss, false, now);
        c.state = TcpState.SYN_SENT;
        return c;
    }

    /**
     * A passive open from a listener's SYN (RFC 9293 3.10.7.2): SYN-RECEIVED with the peer's
     * options taken; {@link #output} sends the SYN-ACK.
     */
    public static TcpConnection accept(TcpConfig cfg, TcpTuple tuple, int iss, int localMss, TcpSegment syn, long now) {
        var c = new TcpConnection(cfg, tuple, iss, localMss, true, now);
        c.state = TcpState.SYN_RECEIVED;
        c.takeSynOptions(syn);
        c.irs = syn.seq();
        c.rcvNxt = syn.seq() + 1;
        c.ackedUpTo = c.rcvNxt - 1;
        c.sndWnd = syn.window(); // RFC 7323 2.2: the window of a SYN is never scaled
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = syn.seq();
        c.sndWl2 = iss;
        c.rcvAdvRight = c.rcvNxt + Math.min(c.cfg.receiveBuffer(), 0xffff);
        return c;
    }

    private void takeSynOptions(TcpSegment syn) {
        var o = syn.options();
        int peerMss = o.mss() >= 0 ? o.mss() : 536; // RFC 9293 3.7.1: 536 when the option is absent
        smss = Math.max(64, Math.min(localMss, peerMss));
        rcvMss = Math.min(localMss, Math.max(smss, 536));
        peerWs = o.windowScale() >= 0;
        // RFC 2018 2: SACK blocks only to a peer whose SYN offered to take them (we offer in ours)
        sackOk = cfg.sack() && o.sackPermitted();
        if (peerWs) {
            sndWscale = o.windowScale();
        } else { // RFC 7323 1.3: scaling only when both SYNs carry the option
            sndWscale = 0;
            rcvWscale = 0;
        }
        cwnd = (long) cfg.initialWindow() * smss;
    }

    // ------------------------------------------------------------------ accessors

    public TcpState state() {
        return state;
    }

    public TcpTuple tuple() {
        return tuple;
    }

    public boolean passive() {
        return passive;
    }

    /**
     * Lets {@link #output} hand down data segments of up to {@code maxBytes} (a whole number of MSS
     * where it can), for a device that cuts them at {@link #mss()} (TSO); 0 turns it off. Congestion
     * and flow control still count bytes, so only the number of segments handed down changes.
     */
    public void setSegmentOffload(int maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes " + maxBytes);
        segmentOffload = maxBytes;
    }

    /** The most data one new segment may carry: the MSS, or a multiple of it when the device cuts segments. */
    private int sendChunk() {
        return segmentOffload > smss ? segmentOffload / smss * smss : smss;
    }

    public int mss() {
        return smss;
    }

    public int sendWindowScale() {
        return sndWscale;
    }

    public int receiveWindowScale() {
        return rcvWscale;
    }

    public long congestionWindow() {
        return cwnd;
    }

    public long ssthresh() {
        return ssthresh;
    }

    public int backoff() {
        return backoff;
    }

    public long rto() {
        return rtt.rto(backoff);
    }

    public long srtt() {
        return rtt.srtt();
    }

    public Stats stats() {
        return stats;
    }

    public IOException error() {
        return error;
    }

    public boolean isClosed() {
        return state == TcpState.CLOSED;
    }

    public int readable() {
        return recvBuf.size();
    }

    public int sendQueued() {
        return sendBuf.size();
    }

    public long sendWindow() {
        return sndWnd;
    }

    public boolean eof() {
        return finReceived && recvBuf.size() == 0;
    }

    public int sendBufferSize() {
        return sendBuf.capacity();
    }

    public int receiveBufferSize() {
        return recvBuf.capacity();
    }

    public int outOfOrderSegments() {
        return outOfOrder.size();
    }

    public void setNoDelay(boolean on) {
        nodelay = on;
    }

    public boolean noDelay() {
        return nodelay;
    }

    public void setSendBufferSize(int n) {
        sendBuf.setCapacity(Math.max(n, 2 * localMss));
    }

    public void setReceiveBufferSize(int n) {
        if (state == TcpState.SYN_SENT && sndNxt == iss) recvBuf.setCapacity(Math.max(n, 1));
    }

    public void setKeepAlive(boolean on, long now) {
        keepAlive = on;
        keepAliveSent = 0;
        keepAliveAt = on && state.synchronizedState() ? now + cfg.keepAliveIdle() : OFF;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    /** The {@link #READABLE}, {@link #WRITABLE}, {@link #CONNECTED} and {@link #FAILED} bits that hold now. */
    public int ready() {
        int r = 0;
        if (error != null) return READABLE | WRITABLE | FAILED | (state == TcpState.CLOSED ? 0 : CONNECTED);
        if (state.synchronizedState() || state == TcpState.CLOSED) r |= CONNECTED;
        if (recvBuf.size() > 0 || finReceived || state == TcpState.CLOSED) r |= READABLE;
        boolean canSend = state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT;
        if (!canSend && r != 0 && (r & CONNECTED) != 0) r |= WRITABLE; // a write will not block: it fails
        if (canSend && !finQueued && sendBuf.free() >= Math.min(sendBuf.capacity() / 4, 65536)) r |= WRITABLE;
        if (finQueued && state.synchronizedState()) r |= WRITABLE;
        return r;
    }

    // ------------------------------------------------------------------ application side

    /** Queues what fits of {@code src}; returns the count (0 when the buffer is full). */
    public int write(ByteBuffer src) throws IOException {
        if (error != null) throw error;
        if (finQueued) throw new SocketException("Socket output is shut down");
        if (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT) {
            if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) return 0;
            throw new SocketException("Socket is closed");
        }
        return sendBuf.write(src);
    }

    /**
     * Moves received bytes to {@code dst}: the count, 0 when none are waiting, -1 at the end of the
     * stream. Freeing space may owe the peer a window update (RFC 9293 3.8.6.2.2), sent by the next
     * {@link #output}.
     */
    public int read(ByteBuffer dst) throws IOException {
        int n = recvBuf.read(dst);
        if (n > 0) {
            if (windowGrowth() >= Math.min(recvBuf.capacity() / 2, 2 * rcvMss)) ackNow = true;
            return n;
        }
        if (error != null) throw error;
        if (finReceived) return -1;
        return 0;
    }

    /** How much further the window could open than what was last offered. */
    private int windowGrowth() {
        if (!state.synchronizedState() || state == TcpState.TIME_WAIT) return 0;
        return rcvNxt + recvBuf.free() - rcvAdvRight;
    }

    /** Half-close (RFC 9293 3.10.4): the FIN goes after the queued data. */
    public void shutdownOutput() {
        if (finQueued) return;
        switch (state) {
            case SYN_SENT -> {
                state = TcpState.CLOSED;
                return;
            }
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.FIN_WAIT_1;
            case CLOSE_WAIT -> state = TcpState.LAST_ACK;
            default -> {
                return;
            }
        }
        finQueued = true;
    }

    public void shutdownInput() {
        readClosed = true;
        recvBuf.drop(recvBuf.size());
    }

    /**
     * The application is done with the connection. Unread data, or data still arriving later,
     * resets it (RFC 9293 3.10.4 allows it; Linux does it, so the peer learns its data was lost).
     */
    public void close(long now) {
        readClosed = true;
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT) return;
        if (recvBuf.size() > 0 && state.synchronizedState()) {
            abort();
            return;
        }
        shutdownOutput();
        if (state == TcpState.FIN_WAIT_2) closeAt = now + cfg.finWait2();
    }

    /** Sends a RST and forgets the connection (SO_LINGER 0, or a reset from the app). */
    public void abort() {
        if (state == TcpState.CLOSED) return;
        if (state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
            sendRst = true;
            rstSeq = sndMax;
        }
        toClosed(null);
    }

    /** Forgets the connection without a word (the stack dropped it, e.g. TIME-WAIT ended early for a new SYN). */
    public void abortQuietly() {
        toClosed(null);
    }

    /** In TIME-WAIT: whether a new SYN with {@code seq} may start a new incarnation (RFC 9293 3.6.1: above the old RCV.NXT). */
    public boolean acceptsNewIncarnation(int seq) {
        return state == TcpState.TIME_WAIT && Seq.gt(seq, rcvNxt);
    }

    // ------------------------------------------------------------------ input (RFC 9293 3.10.7)

    public void input(TcpSegment seg, long now) {
        if (state == TcpState.CLOSED) return;
        if (keepAlive && state.synchronizedState()) {
            keepAliveAt = now + cfg.keepAliveIdle();
            keepAliveSent = 0;
        }
        if (state == TcpState.SYN_SENT) {
            synSent(seg, now);
            return;
        }

        int segLen = seg.sequenceLength();
        int rcvWnd = (int) Math.max(0, rcvAdvRight - rcvNxt);
        // first: sequence number acceptability (3.10.7.4)
        boolean ok;
        if (segLen == 0) ok = rcvWnd == 0 ? seg.seq() == rcvNxt : Seq.inWindow(seg.seq(), rcvNxt, rcvNxt + rcvWnd);
        else
            ok = rcvWnd != 0
                    && (Seq.inWindow(seg.seq(), rcvNxt, rcvNxt + rcvWnd)
                            || Seq.inWindow(seg.seq() + segLen - 1, rcvNxt, rcvNxt + rcvWnd));
        // A zero window still takes ACKs, RSTs and a FIN at its edge: the segment's control is processed.
        if (!ok && rcvWnd == 0 && seg.seq() == rcvNxt) ok = true;
        if (!ok) {
            if (!seg.has(TcpSegment.RST)) {
                if (state == TcpState.TIME_WAIT && seg.has(TcpSegment.FIN)) closeAt = now + cfg.timeWait();
                ackNow = true;
            }
            stats.dropped++;
            return;
        }
        // second: RST, with RFC 5961 3.2's exact-match rule against blind resets
        if (seg.has(TcpSegment.RST)) {
            if (seg.seq() != rcvNxt) {
                challengeAck(now);
                return;
            }
            switch (state) {
                case SYN_RECEIVED -> toClosed(passive ? null : new ConnectException("Connection refused"));
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT ->
                    toClosed(new SocketException("Connection reset"));
                default -> toClosed(null);
            }
            return;
        }
        // fourth: a SYN in a synchronized state (RFC 5961 4.2: challenge ACK, never a reset)
        if (seg.has(TcpSegment.SYN)) {
            if (state == TcpState.SYN_RECEIVED && passive && seg.seq() == irs) {
                ackNow = true;
                return;
            } // retransmitted SYN: SYN-ACK again
            challengeAck(now);
            return;
        }
        // fifth: the ACK field
        if (!seg.has(TcpSegment.ACK_FLAG)) {
            stats.dropped++;
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (Seq.lt(sndUna, seg.ack()) && Seq.le(seg.ack(), sndMax)) {
                state = TcpState.ESTABLISHED;
                sndWnd = (long) seg.window() << sndWscale;
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndWl1 = seg.seq();
                sndWl2 = seg.ack();
                if (finQueued) state = TcpState.FIN_WAIT_1; // closed before the handshake ended
                if (keepAlive) keepAliveAt = now + cfg.keepAliveIdle();
            } else {
                sendRst = true;
                rstSeq = seg.ack();
                return;
            }
        }
        if (!processAck(seg, now)) return;
        // seventh: text
        int payload = seg.payload().remaining();
        if (payload > 0) {
            switch (state) {
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
                    if (readClosed) { // data for a closed socket: Linux resets (tcp_rcv_state_process)
                        sendRst = true;
                        rstSeq = sndMax;
                        toClosed(null);
                        return;
                    }
                    receiveText(seg, now);
                }
                default -> {} // after a FIN: ignored (3.10.7.4 seventh)
            }
        }
        // eighth: FIN
        if (seg.has(TcpSegment.FIN)) {
            int finSeq = seg.seq() + payload;
            if (finSeq == rcvNxt) finArrived(now);
            else if (Seq.gt(finSeq, rcvNxt)) {
                heldFin = true;
                heldFinSeq = finSeq;
                ackNow = true;
            } else if (state == TcpState.TIME_WAIT) {
                ackNow = true;
                closeAt = now + cfg.timeWait();
            }
        }
    }

    private void synSent(TcpSegment seg, long now) {
        boolean hasAck = seg.has(TcpSegment.ACK_FLAG);
        if (hasAck && (Seq.le(seg.ack(), iss) || Seq.gt(seg.ack(), sndMax))) {
            if (!seg.has(TcpSegment.RST)) {
                sendRst = true;
                rstSeq = seg.ack();
            }
            return;
        }
        if (seg.has(TcpSegment.RST)) {
            if (hasAck) toClosed(new ConnectException("Connection refused"));
            return;
        }
        if (!seg.has(TcpSegment.SYN)) return;
        takeSynOptions(seg);
        irs = seg.seq();
        rcvNxt = irs + 1;
        ackedUpTo = irs;
        rcvAdvRight = rcvNxt + Math.min(recvBuf.capacity(), 0xffff);
        if (hasAck) {
            sndUna = seg.ack();
            ackSampleSyn(now);
            rtoAt = OFF;
            backoff = 0;
            retries = 0;
            state = TcpState.ESTABLISHED;
            sndWnd = seg.window(); // RFC 7323 2.2: a <SYN> segment's window is never scaled
            maxSndWnd = sndWnd;
            sndWl1 = seg.seq();
            sndWl2 = seg.ack();
            ackNow = true;
            if (keepAlive) keepAliveAt = now + cfg.keepAliveIdle();
        } else { // simultaneous open (3.10.7.3): SYN-RECEIVED, our SYN again with an ACK
            state = TcpState.SYN_RECEIVED;
            sndWnd = seg.window();
            maxSndWnd = sndWnd;
            sndWl1 = seg.seq();
            sndNxt = iss; // the SYN-ACK repeats our ISN
            rttTiming = false;
        }
    }

    private void ackSampleSyn(long now) {
        if (rttTiming && backoff == 0) rtt.sample(now - rttStart); // Karn: no sample from a retransmitted SYN
        rttTiming = false;
    }

    /** RFC 5961 7: at most 10 challenge ACKs a second per connection (Linux limits them per host). */
    private void challengeAck(long now) {
        if (now - lastChallenge > 1_000_000_000L) {
            lastChallenge = now;
            challenges = 0;
        }
        if (challenges >= 10) return;
        challenges++;
        stats.challengeAcks++;
        ackNow = true;
    }

    /** Returns false when the segment is to be dropped here. */
    private boolean processAck(TcpSegment seg, long now) {
        int ack = seg.ack();
        // RFC 5961 5.2: an ACK of data never sent, or far below the window, gets a challenge ACK
        if (Seq.gt(ack, sndMax)) {
            challengeAck(now);
            return false;
        }
        if (Seq.lt(ack, (int) (sndUna - Math.max(maxSndWnd, 1)))) {
            challengeAck(now);
            return false;
        }
        probesUnanswered = 0;
        long newWnd = (long) seg.window() << sndWscale;
        boolean windowChanged = false;
        // window update (3.10.7.4 fifth), guarded against old segments by WL1/WL2
        if (Seq.lt(sndWl1, seg.seq()) || (sndWl1 == seg.seq() && Seq.le(sndWl2, ack))) {
            windowChanged = newWnd != sndWnd;
            if (sndWnd == 0 && newWnd > 0) {
                persistAt = OFF;
                persistBackoff = 0;
            }
            sndWnd = newWnd;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seg.seq();
            sndWl2 = ack;
        }
        if (sackOk) takeSack(seg.options().sack(), ack);
        if (Seq.gt(ack, sndUna)) {
            newAck(ack, now);
        } else if (ack == sndUna
                && seg.payload().remaining() == 0
                && !seg.has(TcpSegment.FIN)
                && !windowChanged
                && sndMax != sndUna) {
            duplicateAck();
        }
        // RFC 6675 5 (the loss of SND.UNA by IsLost): enough data SACKed above it, however few the duplicate ACKs
        if (!inRecovery && Seq.gt(sndUna, recover) && isLost(sndUna)) enterRecovery();
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcked()) {
                    state = TcpState.FIN_WAIT_2;
                    if (readClosed) closeAt = now + cfg.finWait2();
                }
            }
            case CLOSING -> {
                if (finAcked()) toTimeWait(now);
            }
            case LAST_ACK -> {
                if (finAcked()) {
                    toClosed(null);
                    return false;
                }
            }
            case TIME_WAIT -> {}
            default -> {}
        }
        return true;
    }

    private boolean finAcked() {
        return finAckedAlready;
    }

    /** Whether the peer acknowledged our FIN (the send buffer holds only data, the FIN is the seq after it). */
    private boolean finAckedAlready;

    private void newAck(int ack, long now) {
        int acked = ack - sndUna;
        int bytes = acked;
        if (sndUna == iss) bytes--; // our SYN
        int data = Math.min(bytes, sendBuf.size());
        sendBuf.drop(data);
        if (bytes > data) finAckedAlready = true; // the FIN
        sndUna = ack;
        if (Seq.lt(sndNxt, sndUna)) sndNxt = sndUna;
        retries = 0;
        // RTT (RFC 6298 3, Karn's rule: only segments never retransmitted are timed)
        if (rttTiming && Seq.gt(ack, rttSeq)) {
            rtt.sample(now - rttStart);
            rttTiming = false;
            backoff = 0; // 5.7: a new valid sample ends the backoff, and only that does
        }
        // congestion control
        trimScoreboard();
        if (inRecovery) {
            if (Seq.ge(ack, recover)) { // full ACK (RFC 6582 3.2 step 3)
                inRecovery = false;
                cwnd = sackRecovery ? ssthresh : Math.min(ssthresh, Math.max(flight(), smss) + smss);
                sackRecovery = false;
            } else if (sackRecovery) { // RFC 6675: the pipe, not the ACKs, says what may go out
                if (Seq.lt(highRxt, sndUna)) highRxt = sndUna;
            } else { // partial ACK: retransmit the next hole, deflate by what was acked (step 4)
                retransmitHead = true;
                cwnd = Math.max(smss, cwnd - acked + (acked >= smss ? smss : 0));
            }
        } else if (cwnd < ssthresh) {
            cwnd += acked; // slow start counting bytes, as Linux does (RFC 3465 without the L limit)
        } else {
            caAcked += acked;
            if (caAcked >= cwnd) {
                caAcked -= cwnd;
                cwnd += smss;
            } // congestion avoidance, byte counting
        }
        dupAcks = 0;
        // 5.2/5.3: stop when everything is acknowledged, else restart; the backoff stays as it is
        rtoAt = sndUna == sndMax ? OFF : now + rtt.rto(backoff);
    }

    private long flight() {
        return (long) (sndMax - sndUna) & 0xffffffffL;
    }

    private void duplicateAck() {
        if (dupAcks < 1000) dupAcks++;
        if (dupAcks == 3
                && !inRecovery
                && Seq.gt(sndUna, recover)) { // RFC 6582 3.2 step 2: not for losses before an RTO
            enterRecovery();
        } else if (inRecovery && !sackRecovery && dupAcks > 3) {
            cwnd += smss; // each further duplicate means a segment left the network
        }
    }

    /** Fast retransmit and recovery: NewReno's (RFC 6582), or RFC 6675's when the peer SACKs. */
    private void enterRecovery() {
        ssthresh = Math.max(flight() / 2, 2L * smss);
        inRecovery = true;
        recover = sndMax;
        if (!scoreboard.isEmpty()) {
            sackRecovery = true;
            cwnd = ssthresh; // RFC 6675 5 step 4.2; what is in flight is the pipe
            highRxt = sndUna;
            retransmitHead = true; // step 4.3: the first segment presumed lost goes at once
        } else {
            cwnd = ssthresh + 3L * smss;
            retransmitHead = true;
        }
    }

    // ------------------------------------------------------------------ the SACK scoreboard (RFC 6675)

    /** Adds the blocks of an ACK for {@code ack}, clipped to what is outstanding (RFC 2018 says nothing else may be trusted). */
    private void takeSack(List<TcpOptions.SackBlock> blocks, int ack) {
        int low = Seq.max(ack, sndUna);
        for (var b : blocks) {
            int l = Seq.max(b.left(), low), r = Seq.lt(b.right(), sndMax) ? b.right() : sndMax;
            if (!Seq.lt(l, r)) continue;
            int i = 0;
            while (i < scoreboard.size() && Seq.lt(scoreboard.get(i).right(), l)) i++;
            // merge every block that touches [l, r)
            while (i < scoreboard.size() && Seq.le(scoreboard.get(i).left(), r)) {
                var o = scoreboard.remove(i);
                if (Seq.lt(o.left(), l)) l = o.left();
                if (Seq.gt(o.right(), r)) r = o.right();
            }
            if (scoreboard.size() < MAX_SCOREBOARD) scoreboard.add(i, new TcpOptions.SackBlock(l, r));
        }
    }

    private static final int MAX_SCOREBOARD = 256;

    private void trimScoreboard() {
        while (!scoreboard.isEmpty() && Seq.le(scoreboard.getFirst().right(), sndUna)) scoreboard.removeFirst();
        if (!scoreboard.isEmpty() && Seq.lt(scoreboard.getFirst().left(), sndUna))
            scoreboard.set(
                    0, new TcpOptions.SackBlock(sndUna, scoreboard.getFirst().right()));
    }

    /** Bytes SACKed above {@code seq}. */
    private long sackedAbove(int seq) {
        long n = 0;
        for (var b : scoreboard)
            if (Seq.gt(b.right(), seq)) n += (b.right() - (Seq.gt(b.left(), seq) ? b.left() : seq)) & 0xffffffffL;
        return n;
    }

    /** RFC 6675 IsLost: more than DupThresh - 1 segments' worth SACKed above {@code seq} (DupThresh = 3). */
    private boolean isLost(int seq) {
        return !scoreboard.isEmpty() && sackedAbove(seq) > 2L * smss;
    }

    /**
     * RFC 6675 SetPipe: the bytes still in the network, counting each un-SACKed byte not deemed lost,
     * and each retransmitted one (below HighRxt) once more.
     */
    private long pipe() {
        long pipe = 0;
        int at = sndUna;
        for (var b : scoreboard) {
            pipe += holeInPipe(at, b.left());
            at = b.right();
        }
        return pipe + ((sndMax - at) & 0xffffffffL); // beyond the highest SACK nothing is deemed lost
    }

    private long holeInPipe(int from, int to) {
        long len = (to - from) & 0xffffffffL;
        long retransmitted = Seq.gt(highRxt, from) ? Math.min(len, (highRxt - from) & 0xffffffffL) : 0;
        return isLost(from) ? retransmitted : len + retransmitted;
    }

    /** RFC 6675 NextSeg rule 1: the first lost, un-SACKed data at or above HighRxt, at most one MSS; or -1. */
    private int nextHole() {
        int at = sndUna;
        for (var b : scoreboard) {
            int from = Seq.max(at, highRxt);
            if (Seq.lt(from, b.left()) && isLost(from)) return from;
            at = b.right();
        }
        return -1;
    }

    private int holeEnd(int from) {
        for (var b : scoreboard) if (Seq.gt(b.left(), from)) return b.left();
        return sndMax;
    }

    private void receiveText(TcpSegment seg, long now) {
        var data = seg.payload();
        int seq = seg.seq();
        if (Seq.lt(seq, rcvNxt)) { // the front was received before
            int skip = rcvNxt - seq;
            if (skip >= data.remaining()) {
                ackNow = true;
                return;
            }
            data.position(data.position() + skip);
            seq = rcvNxt;
        }
        int room = recvBuf.free();
        rcvMss = Math.max(rcvMss, Math.min(localMss, data.remaining()));
        if (seq == rcvNxt) {
            int n = Math.min(data.remaining(), room);
            if (n < data.remaining()) stats.dropped++;
            recvBuf.write(data, 0, n);
            rcvNxt += n;
            boolean filled = !outOfOrder.isEmpty();
            drainOutOfOrder();
            if (filled) ackNow = true; // RFC 5681 4.2: an ACK at once when a hole fills
            if (heldFin && heldFinSeq == rcvNxt) {
                heldFin = false;
                finArrived(now);
            }
            // delayed ACK (RFC 9293 3.8.6.3; RFC 5681 4.2): an ACK for every second full segment, else within 40 ms
            if (rcvNxt - ackedUpTo >= 2 * rcvMss) ackNow = true;
            else if (delAckAt == OFF) delAckAt = now + cfg.delayedAck();
        } else {
            // out of order: keep it (bounded) and send a duplicate ACK at once for fast retransmit
            // (RFC 5681 4.2), as a pure ACK: one riding on data is not a duplicate to the sender (3.2)
            ackNow = true;
            dupAckNow = true;
            recentOutOfOrder.remove(seq);
            recentOutOfOrder.addFirst(seq);
            if (recentOutOfOrder.size() > TcpOptions.MAX_SACK_BLOCKS) recentOutOfOrder.removeLast();
            int len = Math.min(data.remaining(), Math.max(0, (int) (rcvNxt + recvBuf.free() - seq)));
            if (len <= 0 || outOfOrder.size() >= cfg.maxOutOfOrder() || outOfOrderBytes + len > recvBuf.capacity()) {
                stats.outOfOrderDropped++;
                return;
            }
            var bytes = new byte[len];
            data.get(bytes);
            int i = 0;
            while (i < outOfOrder.size() && Seq.lt(outOfOrder.get(i).seq, seq)) i++;
            if (i < outOfOrder.size() && outOfOrder.get(i).seq == seq && outOfOrder.get(i).data.length >= len)
                return; // a duplicate
            outOfOrder.add(i, new Held(seq, bytes));
            outOfOrderBytes += len;
        }
    }

    private void drainOutOfOrder() {
        int used = 0;
        for (; used < outOfOrder.size(); used++) {
            var h = outOfOrder.get(used);
            if (Seq.gt(h.seq, rcvNxt)) break;
            outOfOrderBytes -= h.data.length;
            int end = h.seq + h.data.length;
            if (Seq.gt(end, rcvNxt)) {
                int skip = rcvNxt - h.seq;
                int n = Math.min(h.data.length - skip, recvBuf.free());
                recvBuf.write(ByteBuffer.wrap(h.data, skip, n));
                rcvNxt += n;
            }
        }
        outOfOrder.subList(0, used).clear();
    }

    private void finArrived(long now) {
        rcvNxt++;
        finReceived = true;
        ackNow = true;
        dropOutOfOrder();
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finAcked()) toTimeWait(now);
                else state = TcpState.CLOSING;
            }
            case FIN_WAIT_2 -> toTimeWait(now);
            case TIME_WAIT -> closeAt = now + cfg.timeWait();
            default -> {}
        }
    }

    private void dropOutOfOrder() {
        outOfOrder.clear();
        outOfOrderBytes = 0;
    }

    private void toTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        rtoAt = delAckAt = persistAt = keepAliveAt = OFF;
        closeAt = now + cfg.timeWait();
        sendBuf.release();
        dropOutOfOrder();
    }

    private void toClosed(IOException why) {
        state = TcpState.CLOSED;
        if (why != null && error == null) error = why;
        rtoAt = delAckAt = persistAt = keepAliveAt = closeAt = OFF;
        sendBuf.release();
        if (why != null || readClosed) recvBuf.release();
        dropOutOfOrder();
    }

    /** An ICMP error about this connection (RFC 1122 4.2.3.9; RFC 1191 for fragmentation needed). */
    public void icmpError(int type, int code, int nextHopMtu, IOException hard) {
        if (type == 3 && code == 4 && nextHopMtu >= 68) { // fragmentation needed: lower the MSS and resend
            int mss = Math.max(68 - 40, nextHopMtu - 40);
            if (mss < smss) {
                smss = mss;
                sndNxt = sndUna;
            }
            return;
        }
        if (hard != null && state == TcpState.SYN_SENT) toClosed(hard);
    }

    // ------------------------------------------------------------------ output

    /** The earliest time {@link #output} has timer work, or {@link Long#MAX_VALUE}. */
    public long pollAt() {
        return Math.min(Math.min(rtoAt, delAckAt), Math.min(Math.min(persistAt, keepAliveAt), closeAt));
    }

    /** Sends everything due at {@code now} to {@code out}: retransmissions, data within the windows, FIN, ACKs. */
    public void output(long now, Consumer<TcpSegment> out) {
        if (sendRst) {
            sendRst = false;
            stats.resetsOut++;
            emit(
                    out,
                    new TcpSegment(
                            tuple.localPort(),
                            tuple.remotePort(),
                            rstSeq,
                            0,
                            TcpSegment.RST,
                            0,
                            0,
                            TcpOptions.NONE,
                            EMPTY));
        }
        if (state == TcpState.CLOSED) return;
        if (closeAt <= now) { // TIME-WAIT over, or an orphan's FIN-WAIT-2 timed out
            toClosed(null);
            return;
        }
        if (delAckAt <= now) {
            delAckAt = OFF;
            if (rcvNxt != ackedUpTo) ackNow = true;
        }
        if (rtoAt <= now && !retransmissionTimeout(now)) return;
        if (persistAt <= now) {
            zeroWindowProbe(now, out);
            if (state == TcpState.CLOSED) return;
        }
        if (keepAliveAt <= now && !keepAliveProbe(now, out)) return;

        boolean sent = false;
        if (dupAckNow) {
            dupAckNow = false;
            if (state.synchronizedState()) {
                emit(out, segment(sndMax, TcpSegment.ACK_FLAG, EMPTY));
            }
        }
        switch (state) {
            case SYN_SENT -> {
                if (sndNxt == iss) sent = sendSyn(now, out, false);
            }
            case SYN_RECEIVED -> {
                if (sndNxt == iss || ackNow) sent = sendSyn(now, out, true);
            }
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> sent = sendData(now, out);
            default -> {}
        }
        if (!sent && ackNow) {
            // A pure ACK carries the highest sequence number sent: after a go-back SND.NXT is below
            // what the peer already received, and a segment that old would fail its acceptance test.
            emit(out, segment(sndMax, TcpSegment.ACK_FLAG, EMPTY));
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Returns false when the connection gave up. */
    private boolean retransmissionTimeout(long now) {
        int limit = state == TcpState.SYN_SENT
                ? cfg.synRetries()
                : state == TcpState.SYN_RECEIVED ? cfg.synAckRetries() : cfg.maxRetries();
        if (retries >= limit) {
            toClosed(
                    state == TcpState.SYN_SENT
                            ? new ConnectException("Connection timed out")
                            : state == TcpState.SYN_RECEIVED
                                    ? null
                                    : new SocketTimeoutException(
                                            "Connection timed out (no ACK after " + limit + " retransmissions)"));
            return false;
        }
        retries++;
        if (backoff < 30) backoff++; // 5.5: back off, and keep it until a new sample (Karn)
        if (state.synchronizedState() && sndMax != sndUna) {
            ssthresh = Math.max(flight() / 2, 2L * smss); // RFC 5681 (4): loss after an RTO
            cwnd = smss;
            caAcked = 0;
            recover = sndMax; // RFC 6582 4: no fast retransmit for segments sent before the RTO
            inRecovery = false;
            sackRecovery = false;
            scoreboard.clear(); // RFC 2018 8: the receiver may have reneged; start over from SND.UNA
            dupAcks = 0;
        }
        sndNxt = sndUna; // go back: resend from the first unacknowledged byte
        rttTiming = false;
        rtoAt = now + rtt.rto(backoff);
        stats.retransmits++;
        return true;
    }

    private boolean sendSyn(long now, Consumer<TcpSegment> out, boolean withAck) {
        int flags = TcpSegment.SYN | (withAck ? TcpSegment.ACK_FLAG : 0);
        // Our SYN offers a window scale; a SYN-ACK only when the peer's SYN did (RFC 7323 1.3).
        boolean offerWs = !withAck || peerWs;
        // SACK-permitted likewise: always in our SYN, in a SYN-ACK when the peer's SYN had it.
        var opts = new TcpOptions(localMss, offerWs ? rcvWscale : -1, withAck ? sackOk : cfg.sack());
        int win = Math.min(recvBuf.capacity(), 0xffff); // never scaled in a SYN (RFC 7323 2.2)
        boolean first = sndMax == iss;
        var s = new TcpSegment(
                tuple.localPort(), tuple.remotePort(), iss, withAck ? rcvNxt : 0, flags, win, 0, opts, EMPTY);
        emit(out, s);
        if (withAck) {
            ackedUpTo = rcvNxt;
            ackNow = false;
            delAckAt = OFF;
        }
        sndNxt = iss + 1;
        sndMax = Seq.max(sndMax, sndNxt);
        if (first) {
            rttTiming = true;
            rttSeq = iss;
            rttStart = now;
        }
        if (rtoAt == OFF) rtoAt = now + rtt.rto(backoff);
        return true;
    }

    private boolean sendData(long now, Consumer<TcpSegment> out) {
        boolean sent = false;
        if (retransmitHead) { // fast retransmit / NewReno partial ACK: the first unacknowledged segment
            retransmitHead = false;
            int len = Math.min(smss, Math.min(sendBuf.size(), sndMax - sndUna));
            boolean fin = finQueued && len == sendBuf.size() && Seq.gt(sndMax, sndUna + len);
            if (len > 0 || fin) {
                emit(out, dataSegment(sndUna, len, fin));
                stats.retransmits++;
                if (sackRecovery) highRxt = Seq.max(highRxt, sndUna + len);
                if (rttTiming && Seq.le(rttSeq, sndUna)) rttTiming = false;
                sent = true;
                if (rtoAt == OFF) rtoAt = now + rtt.rto(backoff);
            }
        }
        int end = sndUna + sendBuf.size();
        // RFC 6675 5 step (C): while the pipe leaves room, first the lost holes, then new data
        while (sackRecovery && cwnd - pipe() >= smss) {
            int from = nextHole();
            if (from == -1) break;
            int len = Math.min(smss, Math.min(holeEnd(from), end) - from);
            if (len <= 0) break;
            emit(out, dataSegment(from, len, false));
            stats.retransmits++;
            highRxt = from + len;
            if (rttTiming && Seq.le(rttSeq, from + len) && Seq.ge(rttSeq, from)) rttTiming = false; // Karn
            sent = true;
            if (rtoAt == OFF) rtoAt = now + rtt.rto(backoff);
        }
        boolean force = forceSend;
        forceSend = false;
        while (true) {
            int unsent = end - sndNxt;
            long window = Math.min(sndWnd, cwnd);
            long room = window - ((long) (sndNxt - sndUna) & 0xffffffffL);
            if (sackRecovery) room = Math.min(sndWnd - ((long) (sndNxt - sndUna) & 0xffffffffL), cwnd - pipe());
            if (unsent > 0) {
                int len = (int) Math.min(Math.min(sendChunk(), unsent), Math.max(0, room));
                if (force && len <= 0 && sndWnd > 0) len = (int) Math.min(Math.min(smss, unsent), sndWnd);
                boolean inFlight = sndNxt != sndUna;
                // Nagle (RFC 9293 3.7.4) and sender SWS avoidance (3.8.6.2.1): a short segment only
                // when it is all there is and nothing is in flight (or nodelay, or a FIN follows), or
                // when it fills half the largest window the peer offered.
                boolean all = len == unsent;
                boolean hold = len <= 0
                        || (len < smss && !(all && (!inFlight || nodelay || finQueued)) && len < maxSndWnd / 2);
                if (hold && !(force && len > 0)) {
                    if (!inFlight) { // nothing will come back to trigger us: probe or retry later (3.8.6.1)
                        rtoAt = OFF;
                        if (persistAt == OFF) persistAt = now + rtt.rto(persistBackoff);
                    }
                    break;
                }
                force = false;
                emitNew(now, out, len, finQueued && all);
                sent = true;
                continue;
            }
            if (finQueued && sndNxt == end && !finAckedAlready) { // a FIN alone, or again after a go-back
                emitNew(now, out, 0, true);
                sent = true;
            }
            break;
        }
        return sent;
    }

    private void emitNew(long now, Consumer<TcpSegment> out, int len, boolean fin) {
        boolean retransmission = Seq.lt(sndNxt, sndMax);
        emit(out, dataSegment(sndNxt, len, fin));
        if (retransmission) stats.retransmits++;
        else if (!rttTiming && len > 0) {
            rttTiming = true;
            rttSeq = sndNxt;
            rttStart = now;
        }
        sndNxt += len + (fin ? 1 : 0);
        sndMax = Seq.max(sndMax, sndNxt);
        if (rtoAt == OFF) rtoAt = now + rtt.rto(backoff);
        persistAt = OFF;
    }

    private TcpSegment dataSegment(int seq, int len, boolean fin) {
        ByteBuffer data = EMPTY;
        if (len > 0) {
            data = ByteBuffer.allocate(len);
            sendBuf.copy(seq - sndUna, data, len);
            data.flip();
        }
        int flags = TcpSegment.ACK_FLAG | (len > 0 ? TcpSegment.PSH : 0) | (fin ? TcpSegment.FIN : 0);
        return segment(seq, flags, data);
    }

    /** A segment with our ACK and window; every segment in a synchronized state carries both. */
    private TcpSegment segment(int seq, int flags, ByteBuffer data) {
        int right = rcvNxt + recvBuf.free();
        // Never shrink the offered window, and move its edge only by a useful amount (receiver SWS
        // avoidance, 3.8.6.2.2): min(half the buffer, one MSS).
        if (right - rcvAdvRight < Math.min(recvBuf.capacity() / 2, rcvMss)) right = rcvAdvRight;
        if (Seq.lt(right, rcvNxt)) right = rcvNxt;
        long wnd = ((long) (right - rcvNxt)) & 0xffffffffL;
        int field = (int) Math.min(wnd >> rcvWscale, 0xffff);
        rcvAdvRight = rcvNxt + (field << rcvWscale);
        ackedUpTo = rcvNxt;
        ackNow = false;
        delAckAt = OFF;
        // SACK blocks ride on pure ACKs only, so a full data segment never outgrows the MSS.
        var opts = sackOk && !outOfOrder.isEmpty() && data.remaining() == 0
                ? TcpOptions.sack(sackBlocks())
                : TcpOptions.NONE;
        return new TcpSegment(tuple.localPort(), tuple.remotePort(), seq, rcvNxt, flags, field, 0, opts, data);
    }

    /**
     * The out-of-order queue as SACK blocks (RFC 2018 4): the held segments merged into runs; first
     * the run holding the newest arrival, then those of the arrivals before it, then the highest others.
     */
    List<TcpOptions.SackBlock> sackBlocks() {
        var runs = new ArrayList<TcpOptions.SackBlock>();
        boolean open = false;
        int left = 0, right = 0;
        for (var h : outOfOrder) { // sorted by seq, all above RCV.NXT; segments may overlap
            int end = h.seq + h.data.length;
            if (open && Seq.le(h.seq, right)) {
                if (Seq.gt(end, right)) right = end;
                continue;
            }
            if (open) runs.add(new TcpOptions.SackBlock(left, right));
            open = true;
            left = h.seq;
            right = end;
        }
        if (open) runs.add(new TcpOptions.SackBlock(left, right));
        var out = new ArrayList<TcpOptions.SackBlock>(TcpOptions.MAX_SACK_BLOCKS);
        for (int seq : recentOutOfOrder)
            for (var r : runs) if (Seq.le(r.left(), seq) && Seq.lt(seq, r.right()) && !out.contains(r)) out.add(r);
        for (int i = runs.size() - 1; i >= 0 && out.size() < TcpOptions.MAX_SACK_BLOCKS; i--)
            if (!out.contains(runs.get(i))) out.add(runs.get(i));
        return out.size() > TcpOptions.MAX_SACK_BLOCKS ? out.subList(0, TcpOptions.MAX_SACK_BLOCKS) : out;
    }

    private void zeroWindowProbe(long now, Consumer<TcpSegment> out) {
        persistAt = OFF;
        if (sendBuf.size() == 0 && !finQueued) {
            persistBackoff = 0;
            return;
        }
        if (sndWnd > 0) {
            forceSend = true;
            return;
        } // a small window: send what it takes (the SWS override timer)
        if (probesUnanswered >= cfg.maxRetries()) { // nobody answers: give up as a retransmission timeout would
            toClosed(
                    readClosed
                            ? null
                            : new SocketTimeoutException("Connection timed out (zero-window probes unanswered)"));
            return;
        }
        probesUnanswered++;
        // Linux's probe: an ACK one below SND.UNA, which the peer must answer with its window
        emit(out, segment(sndUna - 1, TcpSegment.ACK_FLAG, EMPTY));
        if (persistBackoff < 30) persistBackoff++;
        persistAt = now + rtt.rto(persistBackoff);
    }

    /** Returns false when the peer stopped answering. */
    private boolean keepAliveProbe(long now, Consumer<TcpSegment> out) {
        if (keepAliveSent >= cfg.keepAliveProbes()) {
            toClosed(new SocketTimeoutException("Connection timed out (keepalive)"));
            return false;
        }
        keepAliveSent++;
        emit(
                out,
                segment(sndUna - 1, TcpSegment.ACK_FLAG, EMPTY)); // RFC 9293 3.8.4: an old sequence number draws an ACK
        keepAliveAt = now + cfg.keepAliveInterval();
        return true;
    }

    private void emit(Consumer<TcpSegment> out, TcpSegment s) {
        stats.segmentsOut++;
        out.accept(s);
    }

    @Override
    public String toString() {
        return "TCP " + tuple + " " + state;
    }

    /** The TCB's variables on one line, for diagnostics. */
    public String describe(long now) {
        return toString() + " una=" + Integer.toUnsignedString(sndUna - iss) + " nxt="
                + Integer.toUnsignedString(sndNxt - iss)
                + " max=" + Integer.toUnsignedString(sndMax - iss) + " sndq=" + sendBuf.size() + " wnd=" + sndWnd
                + " cwnd=" + cwnd
                + " ssthresh=" + ssthresh + " rcvnxt=" + Integer.toUnsignedString(rcvNxt - irs) + " adv="
                + (rcvAdvRight - rcvNxt)
                + " rcvq=" + recvBuf.size() + " ooo=" + outOfOrder.size() + " rto=" + rtt.rto(backoff) / 1_000_000
                + "ms backoff=" + backoff
                + " retries=" + retries + " recovery=" + inRecovery + " dup=" + dupAcks
                + " timers(rto=" + rel(rtoAt, now) + " dack=" + rel(delAckAt, now) + " persist=" + rel(persistAt, now)
                + " close=" + rel(closeAt, now) + ")";
    }

    private static String rel(long t, long now) {
        return t == OFF ? "-" : ((t - now) / 1_000_000) + "ms";
    }
}
