package org.mirari.net.stack.tcp;

/** The connection states of RFC 9293 3.3.2 (LISTEN belongs to {@link TcpListener}). */
public enum TcpState {
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED;

    /** States after the handshake, in which both sides' sequence numbers are known. */
    public boolean synchronizedState() {
        return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
    }
}
