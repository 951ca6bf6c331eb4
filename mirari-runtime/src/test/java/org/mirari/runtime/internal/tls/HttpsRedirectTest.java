package org.mirari.runtime.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.Request;

class HttpsRedirectTest {
    static Request get(String target, Map<String, String> fields) {
        var h = Headers.of();
        for (var e : fields.entrySet()) {
            h = h.with(e.getKey(), e.getValue());
        }
        int q = target.indexOf('?');
        return new Request("POST", target, q < 0 ? target : target.substring(0, q), Map.of(), h, null);
    }

    @Test
    void aPermanentRedirectToTheSameTargetOnTheHttpsPort() {
        var r = new HttpsRedirect(8443, "10.0.0.2").handle(get("/a/b?c=d", Map.of("Host", "example.org:8080")));
        assertThat(r.status()).isEqualTo(308); // keeps the method and body (RFC 9110 §15.4.9)
        assertThat(r.headers().first("Location")).contains("https://example.org:8443/a/b?c=d");
        assertThat(new HttpsRedirect(443, "h")
                        .handle(get("/", Map.of("Host", "[::1]:80")))
                        .headers()
                        .first("Location"))
                .contains("https://[::1]/");
    }

    @Test
    void noOrABadHostGivesTheServersAddress() {
        assertThat(new HttpsRedirect(8443, "10.0.0.2")
                        .handle(get("/x", Map.of()))
                        .headers()
                        .first("Location"))
                .contains("https://10.0.0.2:8443/x");
        assertThat(new HttpsRedirect(8443, "10.0.0.2")
                        .handle(get("/x", Map.of("Host", "evil/path")))
                        .headers()
                        .first("Location"))
                .contains("https://10.0.0.2:8443/x");
        assertThat(HttpsRedirect.withoutPort("a.b:1")).isEqualTo("a.b");
        assertThat(List.of(HttpsRedirect.withoutPort("a\r\nX: y"))).containsExactly("");
    }
}
