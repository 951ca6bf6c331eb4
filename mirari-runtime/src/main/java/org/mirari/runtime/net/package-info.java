/**
 * The network a {@code main-ip} app receives: {@link org.mirari.runtime.net.Network} and its
 * {@link org.mirari.runtime.net.NetInterface}s. Apps do their I/O with ordinary JDK channels.
 */
package org.mirari.runtime.net;
