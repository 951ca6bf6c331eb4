import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/** The quick-start app: answers every request with a greeting. */
final class Hello {
    private Hello() {}

    static Response main(Request request) {
        return Response.ok("Hello from Mirari! You asked for " + request.path() + "\n");
    }
}
