package org.mirari.js.boot;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.http.HttpParseException;
import org.mirari.runtime.internal.http.Targets;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSString;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The app's handler as the Service Worker calls it: {@code mirariHost.serve(method, target,
 * headers, body)} with the request's method, its target ({@code /a%20b?x=1}), its header fields as
 * {@code [name, value, ...]} and its body bytes, returns {@code {status, headers, body}}, the
 * handler's {@link Response} with its body as bytes (a KV body read from the store; none for HEAD,
 * 204 and 304, which the Fetch standard requires to be empty). The target is parsed as the JVM
 * server parses it, so paths and queries decode alike; a bad one is a 400, a handler's exception
 * a 500 with its stack trace on the console, as on {@code --socket}.
 */
final class JsHttp {
    private JsHttp() {}

    @JSFunctor
    interface Serve extends JSObject {
        JSObject serve(String method, String target, JSArray<JSString> headers, Int8Array body);
    }

    static void register(HttpApp app) {
        install((method, target, headers, body) -> answer(app, method, target, headers, body));
    }

    private static JSObject answer(
            HttpApp app, String method, String target, JSArray<JSString> fields, Int8Array body) {
        Response response;
        try {
            var parsed = Targets.parse(target);
            var names = new ArrayList<String>();
            for (int i = 0; i + 1 < fields.getLength(); i += 2) {
                names.add(fields.get(i).stringValue());
                names.add(fields.get(i + 1).stringValue());
            }
            var request = new Request(
                    method,
                    target,
                    parsed.path(),
                    parsed.query(),
                    Headers.of(names.toArray(new String[0])),
                    body == null ? null : body.toJavaArray());
            response = app.handle(request);
            if (response == null) throw new IllegalStateException("the handler returned null");
        } catch (HttpParseException e) {
            response = Response.badRequest(e.getMessage());
        } catch (Throwable t) {
            System.err.println("mirari: the handler failed on " + method + " " + target + ":");
            t.printStackTrace();
            response = new Response(
                    500,
                    Headers.of("Content-Type", "text/plain; charset=utf-8"),
                    new Response.Body.Bytes(
                            "internal server error\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        var out = JSArray.<JSString>create();
        for (var f : response.headers().fields()) {
            out.push(JSString.valueOf(f.name()));
            out.push(JSString.valueOf(f.value()));
        }
        boolean empty = method.equals("HEAD")
                || response.status() == 204
                || response.status() == 304
                || response.status() < 200;
        return result(response.status(), out, empty ? null : Int8Array.fromJavaArray(bytes(response.body())));
    }

    private static byte[] bytes(Response.Body body) {
        return switch (body) {
            case Response.Body.Empty e -> new byte[0];
            case Response.Body.Bytes b -> b.bytes();
            case Response.Body.Kv kv -> {
                ByteBuffer slice = kv.store().read(kv.key(), kv.offset(), kv.length());
                var bytes = new byte[slice.remaining()];
                slice.get(bytes);
                yield bytes;
            }
        };
    }

    @JSBody(params = "serve", script = "globalThis.mirariHost.serve = serve;")
    private static native void install(Serve serve);

    @JSBody(
            params = {"status", "headers", "body"},
            script = "return {status: status, headers: headers, body: body};")
    private static native JSObject result(int status, JSArray<JSString> headers, Int8Array body);
}
