package org.mirari.runtime.internal.http;

import java.util.List;
import org.mirari.runtime.http.Headers;

/**
 * A parsed request line and header section.
 *
 * @param method         the method token
 * @param target         the request target as sent
 * @param minorVersion   0 for HTTP/1.0, 1 for HTTP/1.1
 * @param fields         the header fields in order
 * @param contentLength  the body length, -1 when there is none or it is chunked
 * @param chunked        {@code Transfer-Encoding: chunked}
 * @param keepAlive      whether the connection persists after the response (RFC 9112 §9.3)
 * @param expectContinue {@code Expect: 100-continue}
 * @param length         bytes of the head, blank line included
 */
public record RequestHead(
        String method,
        String target,
        int minorVersion,
        List<Headers.Field> fields,
        long contentLength,
        boolean chunked,
        boolean keepAlive,
        boolean expectContinue,
        int length) {
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
