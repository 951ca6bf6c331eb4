/**
 * The boot sequence behind {@link org.mirari.runtime.Mirari}'s entry points: boot-time
 * parameters, KV stores, the network (host sockets or a {@link org.mirari.runtime.spi.NetworkProvider}),
 * readiness lines, failure reporting and graceful shutdown. Uses only the JDK and the runtime.
 */
package org.mirari.runtime.internal.boot;
