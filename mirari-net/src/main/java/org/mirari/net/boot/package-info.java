/**
 * Bringing the stack up at app boot: the runtime's {@link org.mirari.runtime.spi.NetworkProvider}
 * for {@code -Dmirari.net=tap:<name>} opens the tap, configures the interface (static or DHCP),
 * starts the driver loop and installs the stack for the selector provider. Prints nothing: the
 * runtime prints readiness.
 */
package org.mirari.net.boot;
