package org.mirari.tool.run;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import org.mirari.tool.error.BackendException;

/**
 * Tries to bind the port the app will listen on, before starting it, so that a busy port or a
 * privileged one without the right fails at once with the fix (exit 5) instead of as a stack trace
 * from the app. Binds the way servers do ({@code SO_REUSEADDR}), so a port in TIME_WAIT is free.
 */
public final class PortCheck {
    private PortCheck() {}

    /**
     * Throws a {@link BackendException} naming the fix when {@code port} on {@code address}
     * ({@code *} for every address) cannot be bound by this user now.
     */
    public static void requireBindable(String address, int port) {
        if (port == 0) return;
        var why = tryBind(address, port);
        if (why == null) return;
        throw new BackendException(message(address, port, why));
    }

    /** The message for a failure to bind, seen up front or in the app's output. */
    static String message(String address, int port, String why) {
        var where = "*".equals(address) ? "" : " on " + address;
        if (isPermission(why)) {
            return "port " + port + where + " is privileged and this user may not bind it (" + why + "); "
                    + "run as root (or grant CAP_NET_BIND_SERVICE), or choose another port: --set http-port="
                    + suggestion(address, Math.max(port, 8080));
        }
        return "port " + port + where + " is already in use (" + why + "); stop what listens there, "
                + "or choose another port: --set http-port=" + suggestion(address, port + 1);
    }

    static boolean isPermission(String why) {
        return why.contains("Permission denied") || why.contains("Access denied") || why.contains("not permitted");
    }

    /** The first port from {@code from} (up to 50 further) that binds, or {@code from} itself. */
    static int suggestion(String address, int from) {
        for (int p = from; p < from + 50 && p <= 65535; p++) {
            if (tryBind(address, p) == null) return p;
        }
        return from;
    }

    /** Null when {@code port} binds; otherwise why not. */
    static String tryBind(String address, int port) {
        try (var ch = ServerSocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(socketAddress(address, port));
            return null;
        } catch (BindException e) {
            return e.getMessage() == null ? "cannot bind" : e.getMessage();
        } catch (UnknownHostException e) {
            return "unknown address " + address;
        } catch (IOException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private static InetSocketAddress socketAddress(String address, int port) throws UnknownHostException {
        if (address == null || address.isBlank() || "*".equals(address)) return new InetSocketAddress(port);
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }
}
