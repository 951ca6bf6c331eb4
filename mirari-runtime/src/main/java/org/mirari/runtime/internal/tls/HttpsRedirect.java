package org.mirari.runtime.internal.tls;

import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/**
 * {@code http-redirect: https}: the plain port answers every request with a 308 Permanent
 * Redirect (RFC 9110 §15.4.9: the method and body are kept, unlike 301) to the same target on the
 * HTTPS port, at the host the client asked for ({@code Host}, RFC 9110 §7.2), else at
 * {@code fallbackHost}.
 */
public record HttpsRedirect(int httpsPort, String fallbackHost) implements HttpApp {
    @Override
    public Response handle(Request request) {
        String host = request.header("Host").map(HttpsRedirect::withoutPort).orElse("");
        if (host.isEmpty()) {
            host = fallbackHost;
        }
        String target = request.target().startsWith("/") ? request.target() : "/";
        String port = httpsPort == 443 ? "" : ":" + httpsPort;
        return Response.text(308, "Permanent Redirect\n").withHeader("Location", "https://" + host + port + target);
    }

    /** The host of a {@code Host} field: {@code [::1]:8080} gives {@code [::1]}, {@code a:80} gives {@code a}. */
    static String withoutPort(String field) {
        String h = field.strip();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? "" : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        // what goes into Location must be a host (RFC 3986 §3.2.2), not a way to inject a header or a path
        return h.matches("[A-Za-z0-9.\\-]+") ? h : "";
    }
}
