import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.text.StringEscapeUtils;
import org.apache.commons.text.StringSubstitutor;
import org.mirari.runtime.Mirari;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.kv.KvStore;

/**
 * The seed's Dispatch: {@code /} and {@code /hello/<name>} render {@code page.html} from the
 * "template" store; everything else is a file of the "static" store ({@code ../files}).
 */
final class Dispatch {
    private Dispatch() {}

    static Response main(Request request) {
        var path = request.path();
        if (path.equals("/")) return page("Mirari", "a page rendered from the template store", request);
        if (path.startsWith("/hello/")) {
            var who = path.substring("/hello/".length());
            return page("Hello, " + who, "served by Dispatch.main for " + who, request);
        }
        return Response.kv(Mirari.store("static"), request);
    }

    private static Response page(String title, String message, Request request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Response.methodNotAllowed("GET", "HEAD");
        }
        var html = StringSubstitutor.replace(text(Mirari.store("template"), "page.html"), Map.of(
                "title", StringEscapeUtils.escapeHtml4(title),
                "message", StringEscapeUtils.escapeHtml4(message),
                "time", Instant.now().toString()));
        return Response.html(html);
    }

    private static String text(KvStore store, String key) {
        var buffer = store.read(key, 0, store.size(key));
        var bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
