package org.mirari.runtime;

import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.kv.KvStore;

/**
 * The entry points that the generated {@code Main} calls, one per entry kind, and the app's
 * access to its KV stores. {@code args} are the process arguments: boot-time parameters as
 * {@code key=value} ({@code http-port=9090}) that override {@link AppSpec#defaults()}.
 */
public final class Mirari {
    private Mirari() {}

    /** Boots a {@code main-http} app: network, KV stores, then the HTTP server; returns at shutdown. */
    public static void http(String[] args, AppSpec spec, HttpApp app) {
        throw new UnsupportedOperationException("runtime lands with issue 3");
    }

    /** Boots a {@code main-ip} app: network and KV stores, then calls {@code app}. */
    public static void ip(String[] args, AppSpec spec, IpApp app) {
        throw new UnsupportedOperationException("runtime lands with issue 3");
    }

    /** Boots a {@code main-noip} app: KV stores, then calls {@code app}. */
    public static void noip(String[] args, AppSpec spec, NoIpApp app) {
        throw new UnsupportedOperationException("runtime lands with issue 3");
    }

    /** The KV store named by {@code fs-<name>}; {@link IllegalArgumentException} if none. */
    public static KvStore store(String name) {
        throw new UnsupportedOperationException("runtime lands with issue 3");
    }
}
