package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.http.HttpServer;
import org.mirari.runtime.internal.http.Listener;
import org.mirari.runtime.internal.http.MonotonicClock;
import org.mirari.runtime.internal.http.ServerConfig;
import org.mirari.runtime.internal.tls.SelfSigned;
import org.mirari.runtime.internal.tls.Tls;

/** The training's HTTPS client against the runtime's own HTTPS server, with a certificate for another name. */
class TlsTrainingTest {
    @Test
    void bothRequestsAreServedWhateverTheCertificateNames() throws Exception {
        var cert = SelfSigned.server(List.of("shop.example"), Instant.now());
        Tls tls = Tls.of(List.of(cert.certificate()), cert.key(), List.of("h2", "http/1.1"));
        var served = new AtomicInteger();
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        var server = HttpServer.start(
                List.of(new Listener(loopback, tls.transports(), r -> {
                    served.incrementAndGet();
                    return Response.ok("trained\n");
                })),
                ServerConfig.defaults(loopback).withLoops(1),
                MonotonicClock.system(),
                System.err);
        try {
            TlsTraining.get(server.address().getPort());
            assertThat(served).hasValue(2);
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
    }
}
