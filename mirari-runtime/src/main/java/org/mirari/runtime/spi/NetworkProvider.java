package org.mirari.runtime.spi;

import java.io.IOException;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.net.Network;

/**
 * Brings up a network interface that is not the host's, before the app starts. The runtime
 * picks the provider with {@link java.util.ServiceLoader} when the app JVM runs with
 * {@code -Dmirari.net=<scheme>:<target>} (for example {@code -Dmirari.net=tap:tap0}): the
 * provider whose {@link #scheme()} matches gets {@code <target>} and the boot-time parameters.
 * Without that property the app uses host sockets and no provider is consulted.
 *
 * <p>Register an implementation both ways, so it is found on the class path and on the module
 * path: a {@code META-INF/services/org.mirari.runtime.spi.NetworkProvider} file and
 * {@code provides org.mirari.runtime.spi.NetworkProvider with ...} in {@code module-info.java}.
 * Implementations need a public no-argument constructor.
 *
 * <p>The JDK channels the app and the HTTP server open afterwards reach the interface through
 * the {@link java.nio.channels.spi.SelectorProvider} named by the system property
 * {@code java.nio.channels.spi.SelectorProvider}; this SPI only configures the interface.
 */
public interface NetworkProvider {
    /** The scheme this provider serves, such as {@code tap}. */
    String scheme();

    /**
     * Opens the device named {@code target} and configures it: statically from
     * {@link BootParameters#ipAddress()}, {@link BootParameters#ipNetmask()} and
     * {@link BootParameters#ipGateway()}, or by DHCP when {@link BootParameters#ipUseDhcp()}.
     * Returns once the interface has its address. If the returned {@link Network} is also
     * {@link AutoCloseable}, the runtime closes it when the app shuts down.
     *
     * @throws IOException when the device cannot be opened or configured (DHCP timed out, say);
     *                     the message is shown to the user, so say what to do
     */
    Network open(String target, BootParameters params) throws IOException, InterruptedException;

    /**
     * As {@link #open(String, BootParameters)}, with the console streams the runtime prints
     * through: a provider that reports anything later (its network loop failing, say) writes to
     * {@code err}, never to {@code System.err}. The runtime calls this one; the default ignores
     * the streams.
     */
    default Network open(String target, BootParameters params, java.io.PrintStream out, java.io.PrintStream err)
            throws IOException, InterruptedException {
        return open(target, params);
    }
}
