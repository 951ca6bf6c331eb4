package org.mirari.runtime.internal.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/**
 * Runs a JDK {@link HttpHandler} as an {@link HttpApp}: the request is presented as an
 * {@link HttpExchange} whose response is collected in memory and becomes a {@link Response}.
 * There is no {@link HttpContext}, principal or peer address ({@code null}).
 */
public final class JdkExchange extends HttpExchange {
    private final Request request;
    private final com.sun.net.httpserver.Headers requestHeaders = new com.sun.net.httpserver.Headers();
    private final com.sun.net.httpserver.Headers responseHeaders = new com.sun.net.httpserver.Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private OutputStream out = body;
    private int status = -1;

    private JdkExchange(Request request) {
        this.request = request;
        for (Headers.Field f : request.headers().fields()) {
            requestHeaders.add(f.name(), f.value());
        }
        this.in = new ByteArrayInputStream(request.body());
    }

    /** The app that runs {@code handler} once per request. */
    public static HttpApp app(HttpHandler handler) {
        return request -> {
            var exchange = new JdkExchange(request);
            handler.handle(exchange);
            return exchange.response();
        };
    }

    private Response response() {
        if (status < 0) {
            throw new IllegalStateException("the HttpHandler never called sendResponseHeaders");
        }
        var fields = new java.util.ArrayList<Headers.Field>();
        responseHeaders.forEach((name, values) -> {
            for (String v : values) {
                fields.add(new Headers.Field(name, v));
            }
        });
        return new Response(status, new Headers(fields), new Response.Body.Bytes(body.toByteArray()));
    }

    @Override
    public com.sun.net.httpserver.Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public com.sun.net.httpserver.Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return URI.create(request.target());
    }

    @Override
    public String getRequestMethod() {
        return request.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        // the response is sent when the handler returns
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    /** {@code length} is only a hint here: the server counts the bytes written. */
    @Override
    public void sendResponseHeaders(int code, long length) {
        if (status >= 0) {
            throw new IllegalStateException("sendResponseHeaders called twice");
        }
        status = code;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return null;
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return null;
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
