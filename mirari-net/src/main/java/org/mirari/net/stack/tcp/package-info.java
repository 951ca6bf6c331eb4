/**
 * TCP (RFC 9293) as state machines on caller-supplied time: {@link org.mirari.net.stack.tcp.TcpConnection}
 * (one connection's TCB: the state machine, RFC 6298 retransmission with Karn's rule, NewReno
 * congestion control per RFC 5681 and RFC 6582, SACK per RFC 2018 with RFC 6675 loss recovery,
 * delayed ACKs, Nagle, the persist timer, window scaling per RFC 7323, segments up to 64 KiB for a
 * device with TSO), {@link org.mirari.net.stack.tcp.TcpListener} (the SYN and accept queues of a
 * listening port) and {@link org.mirari.net.stack.tcp.IsnGenerator} (RFC 6528). Nothing here does I/O,
 * reads a clock or locks: the stack feeds segments in, asks each connection what is due
 * ({@link org.mirari.net.stack.tcp.TcpConnection#output}) and when to ask again
 * ({@link org.mirari.net.stack.tcp.TcpConnection#pollAt}), all under its own lock. Uses {@code wire}.
 */
package org.mirari.net.stack.tcp;
