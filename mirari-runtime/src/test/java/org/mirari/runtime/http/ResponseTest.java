package org.mirari.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseTest {
    @Test
    void helpersSetStatusTypeAndBody() {
        var ok = Response.ok("hi");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.contentType()).contains("text/plain; charset=utf-8");
        assertThat(ok.body()).isInstanceOfSatisfying(Response.Body.Bytes.class, b -> assertThat(b.bytes())
                .containsExactly('h', 'i'));
        assertThat(Response.methodNotAllowed("GET", "HEAD").headers().first("allow"))
                .contains("GET, HEAD");
        assertThat(Response.redirect("/x").headers().all("Location")).isEqualTo(List.of("/x"));
        assertThat(Response.noContent().body()).isInstanceOf(Response.Body.Empty.class);
        assertThat(ok.withHeader("X-A", "1").withStatus(201).headers().first("x-a"))
                .contains("1");
    }

    @Test
    void headersCannotBeInjected() {
        assertThatThrownBy(() -> Response.ok("x").withHeader("X-A", "1\r\nSet-Cookie: evil"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-A has a CR, LF or NUL in its value");
        assertThatThrownBy(() -> Response.ok("x").withHeader("X A", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name \"X A\" is not a token");
        assertThatThrownBy(() -> Response.status(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status 1000 is not an HTTP status; use 100-999");
    }
}
