/**
 * JDK networking on Mirari's stack: a {@link java.nio.channels.spi.SelectorProvider} whose
 * selectors, pipes, datagram, socket and server-socket channels run on a {@link org.mirari.net.stack.NetStack}, so an app
 * written with plain {@code DatagramChannel} and {@code Selector} runs unchanged on a tap. Named by
 * the system property {@code java.nio.channels.spi.SelectorProvider}; the stack it uses is the one
 * the tap network provider brought up ({@link org.mirari.net.nio.MirariNet}).
 */
package org.mirari.net.nio;
