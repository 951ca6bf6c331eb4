/**
 * Extension points of the runtime, implemented by other modules and found with
 * {@link java.util.ServiceLoader}: {@link org.mirari.runtime.spi.NetworkProvider} brings up a
 * network interface that is not the host's (Mirari's userspace stack on a tap).
 */
package org.mirari.runtime.spi;
