package org.mirari.net.stack.tcp;

/**
 * TCP's tunables. Defaults are Linux's where RFCs leave a range: RTO minimum 200 ms (RFC 6298 asks
 * for 1 s, which stalls loss recovery on sub-millisecond links for a second each time), maximum
 * 120 s, delayed ACKs at most 40 ms, TIME-WAIT 60 s, 6 SYN retries, 15 data retries.
 * Durations are in nanoseconds.
 *
 * @param initialRto    RFC 6298 2.1: 1 s
 * @param minRto        the floor of the computed RTO (configurable, issue: a 1 s floor is a known bug elsewhere)
 * @param maxRto        the ceiling, also of the backed-off RTO
 * @param delayedAck    how long an ACK for a single segment may wait (RFC 9293 3.8.6.3: under 0.5 s)
 * @param timeWait      2 MSL (RFC 9293 3.6)
 * @param finWait2      how long a connection the app has closed may stay in FIN-WAIT-2 (Linux's tcp_fin_timeout)
 * @param synRetries    SYN retransmissions before connect fails
 * @param synAckRetries SYN-ACK retransmissions before an embryonic connection is dropped
 * @param maxRetries    retransmissions of the same data before the connection is aborted
 * @param sendBuffer    bytes the app may queue (at least 2 MSS are always allowed)
 * @param receiveBuffer bytes received and not yet read: the largest window offered
 * @param initialWindow segments in the initial congestion window (RFC 6928: 10)
 * @param maxOutOfOrder out-of-order segments kept for reassembly; more are dropped
 * @param keepAliveIdle idle time before the first keepalive probe (when keepalive is on)
 * @param keepAliveInterval time between unanswered probes
 * @param keepAliveProbes unanswered probes before the connection is dropped
 * @param sack          offer SACK-permitted and send SACK blocks as a receiver (RFC 2018; Linux's
 *                      tcp_sack, on by default); received SACK blocks are not used yet (recovery is NewReno)
 */
public record TcpConfig(
        long initialRto,
        long minRto,
        long maxRto,
        long delayedAck,
        long timeWait,
        long finWait2,
        int synRetries,
        int synAckRetries,
        int maxRetries,
        int sendBuffer,
        int receiveBuffer,
        int initialWindow,
        int maxOutOfOrder,
        long keepAliveIdle,
        long keepAliveInterval,
        int keepAliveProbes,
        boolean sack) {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    public static final TcpConfig DEFAULT = new TcpConfig(
            1 * S, 200 * MS, 120 * S, 40 * MS, 60 * S, 60 * S, 6, 5, 15, 1 << 20, 1 << 20, 10, 1024, 7200 * S, 75 * S,
            9, true);

    public TcpConfig {
        if (minRto <= 0 || maxRto < minRto || initialRto < minRto) throw new IllegalArgumentException("RTO bounds");
        if (sendBuffer < 1 || receiveBuffer < 1) throw new IllegalArgumentException("buffer sizes");
        if (initialWindow < 1 || maxOutOfOrder < 0) throw new IllegalArgumentException("windows");
    }

    public TcpConfig withMinRto(long nanos) {
        var b = new Builder(this);
        b.initialRto = Math.max(initialRto, nanos);
        b.minRto = nanos;
        return b.build();
    }

    public TcpConfig withBuffers(int send, int receive) {
        var b = new Builder(this);
        b.sendBuffer = send;
        b.receiveBuffer = receive;
        return b.build();
    }

    public TcpConfig withTimeWait(long nanos) {
        var b = new Builder(this);
        b.timeWait = nanos;
        return b.build();
    }

    public TcpConfig withKeepAlive(long idle, long interval, int probes) {
        var b = new Builder(this);
        b.keepAliveIdle = idle;
        b.keepAliveInterval = interval;
        b.keepAliveProbes = probes;
        return b.build();
    }

    /** With or without SACK (RFC 2018): offered in our SYNs, and blocks sent to a peer that offered it too. */
    public TcpConfig withSack(boolean on) {
        var b = new Builder(this);
        b.sack = on;
        return b.build();
    }

    /** A copy to change a few fields of, so each {@code with} names only what it changes. */
    private static final class Builder {
        long initialRto, minRto, maxRto, delayedAck, timeWait, finWait2, keepAliveIdle, keepAliveInterval;
        int synRetries, synAckRetries, maxRetries, sendBuffer, receiveBuffer, initialWindow, maxOutOfOrder;
        int keepAliveProbes;
        boolean sack;

        Builder(TcpConfig c) {
            initialRto = c.initialRto;
            minRto = c.minRto;
            maxRto = c.maxRto;
            delayedAck = c.delayedAck;
            timeWait = c.timeWait;
            finWait2 = c.finWait2;
            synRetries = c.synRetries;
            synAckRetries = c.synAckRetries;
            maxRetries = c.maxRetries;
            sendBuffer = c.sendBuffer;
            receiveBuffer = c.receiveBuffer;
            initialWindow = c.initialWindow;
            maxOutOfOrder = c.maxOutOfOrder;
            keepAliveIdle = c.keepAliveIdle;
            keepAliveInterval = c.keepAliveInterval;
            keepAliveProbes = c.keepAliveProbes;
            sack = c.sack;
        }

        TcpConfig build() {
            return new TcpConfig(
                    initialRto,
                    minRto,
                    maxRto,
                    delayedAck,
                    timeWait,
                    finWait2,
                    synRetries,
                    synAckRetries,
                    maxRetries,
                    sendBuffer,
                    receiveBuffer,
                    initialWindow,
                    maxOutOfOrder,
                    keepAliveIdle,
                    keepAliveInterval,
                    keepAliveProbes,
                    sack);
        }
    }
}
