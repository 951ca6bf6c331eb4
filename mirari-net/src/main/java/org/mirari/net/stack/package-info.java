/**
 * The interface on a device ({@link org.mirari.net.stack.Ipv4Interface}): ARP cache with bounded
 * pending queues, IPv4 input checks, routing and bounded reassembly; above it, rate-limited ICMP, UDP sockets with bounded queues, and the RFC 2131 DHCP
 * client as a state machine. Nothing here reads the clock: time comes in through
 * {@link org.mirari.net.NetClock}, so tests run the stack on a virtual clock;
 * {@link org.mirari.net.stack.StackDriver} is the one loop that feeds it frames and time in
 * production. Uses {@code wire} and {@code device}.
 */
package org.mirari.net.stack;
