package org.mirari.tool.image;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The AOT training run's HTTPS client: {@code GET /} over TLS with HTTP/1.1, then with HTTP/2, so
 * that the app's JVM loads what serving them loads. It trusts any certificate: its only server is
 * the training JVM this tool just started on loopback, and which certificate that serves (configure's
 * self-signed one, or the conf's own) does not matter for what it loads. Kept apart from {@link
 * AotTraining} so that {@code java.net.http} is loaded only for an app with HTTPS.
 */
final class TlsTraining {
    private TlsTraining() {}

    static void get(int port) {
        SSLContext trustAll;
        try {
            trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
        } catch (java.security.GeneralSecurityException e) {
            return; // no TLS client here: the cache lacks the handshake, the image still works
        }
        var uri = URI.create("https://127.0.0.1:" + port + "/");
        for (var version : new HttpClient.Version[] {HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2}) {
            try (var client = HttpClient.newBuilder()
                    .sslContext(trustAll)
                    .version(version)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()) {
                client.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException | RuntimeException e) {
                // an app that answers badly still loaded what the handshake and the request load; and
                // the training must not fail for want of this request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Trusts every server: see the class comment. An extended trust manager, since the JDK wraps a
     * plain one in a check of the host name, which a conf's own certificate would fail on loopback.
     */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
