package org.mirari.runtime;

import org.mirari.runtime.net.Network;

/**
 * A {@code main-ip} entry point: receives the configured network and does its own networking
 * with ordinary JDK channels, which run on host sockets ({@code --socket}) or on Mirari's own
 * stack ({@code --unix}) without a code change.
 */
@FunctionalInterface
public interface IpApp {
    void run(Network network) throws Exception;
}
