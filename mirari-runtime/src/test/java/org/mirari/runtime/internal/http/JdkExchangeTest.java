package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.HttpApp;

/** A JDK HttpHandler served by our server, over a real socket. */
class JdkExchangeTest {
    @Test
    void aJdkHandlerServes() throws Exception {
        HttpApp app = HttpApp.jdk(exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            String text =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                            + exchange.getRequestURI().getQuery() + " "
                            + exchange.getRequestHeaders().getFirst("x-who") + " "
                            + new String(in, StandardCharsets.UTF_8);
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(201, out.length);
            try (var os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        try (var s = new TestServer(app);
                var c = s.client()) {
            var r = c.send("POST /p?q=1 HTTP/1.1\r\nHost: x\r\nX-Who: me\r\nContent-Length: 4\r\n\r\nbody")
                    .read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 201 Created\r\nContent-type: text/plain\r\nContent-Length: 19\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("POST /p q=1 me body");
        }
    }

    @Test
    void aHandlerThatSendsNothingIsA500() throws Exception {
        try (var s = new TestServer(HttpApp.jdk(exchange -> {}));
                var c = s.client()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(500);
        }
    }
}
