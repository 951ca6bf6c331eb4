package org.mirari.runtime.internal.boot;

/**
 * Names the JDK's own selector provider before the server opens its first channel, when nothing
 * else names one. {@code SelectorProvider.provider()} first reads the system property
 * {@code java.nio.channels.spi.SelectorProvider}; without it, it looks for a provider as a service
 * over every jar of the class path ({@code ServiceLoader}), which finds none in a Mirari app and
 * cost about 160 ms of a VM's boot under TCG (on the host with {@code -Xint}: 15.6 ms, and 4.0 ms
 * with the property). Only on Linux, where the default is epoll, and only when the JDK has that
 * class: elsewhere the JDK's own search stays. An app that ships a provider of its own as a service
 * names it in the property (as {@code mirari build --unix} does for Mirari's stack).
 */
final class HostSelector {
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String EPOLL = "sun.nio.ch.EPollSelectorProvider";

    private HostSelector() {}

    /** Sets the property to the JDK's epoll provider unless it is set, or this is not Linux. */
    static void preferTheJdks() {
        if (System.getProperty(PROPERTY) != null
                || !System.getProperty("os.name", "").equals("Linux")) return;
        try {
            Class.forName(EPOLL, false, null); // the boot loader's java.base; not initialized
        } catch (ClassNotFoundException e) {
            return; // another JDK's layout: its own search
        }
        System.setProperty(PROPERTY, EPOLL);
    }
}
