import org.mirari.runtime.Mirari;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.kv.KvStore;

/** Serves the "static" store, as nginx serves the same directory in the baseline. */
final class Static {
    private static final KvStore FILES = Mirari.store("static");

    private Static() {}

    static Response main(Request request) {
        return Response.kv(FILES, request);
    }
}
