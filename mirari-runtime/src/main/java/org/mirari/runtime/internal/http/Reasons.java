package org.mirari.runtime.internal.http;

import java.nio.charset.StandardCharsets;

/** Status lines, pre-encoded for the common codes (reason phrases from RFC 9110 §15). */
final class Reasons {
    private static final byte[][] LINES = new byte[1000][];

    static {
        String[] known = {
            "100 Continue",
            "101 Switching Protocols",
            "200 OK",
            "201 Created",
            "202 Accepted",
            "204 No Content",
            "206 Partial Content",
            "301 Moved Permanently",
            "302 Found",
            "303 See Other",
            "304 Not Modified",
            "307 Temporary Redirect",
            "308 Permanent Redirect",
            "400 Bad Request",
            "401 Unauthorized",
            "403 Forbidden",
            "404 Not Found",
            "405 Method Not Allowed",
            "406 Not Acceptable",
            "408 Request Timeout",
            "409 Conflict",
            "410 Gone",
            "411 Length Required",
            "412 Precondition Failed",
            "413 Content Too Large",
            "414 URI Too Long",
            "415 Unsupported Media Type",
            "416 Range Not Satisfiable",
            "417 Expectation Failed",
            "422 Unprocessable Content",
            "429 Too Many Requests",
            "431 Request Header Fields Too Large",
            "500 Internal Server Error",
            "501 Not Implemented",
            "502 Bad Gateway",
            "503 Service Unavailable",
            "504 Gateway Timeout",
            "505 HTTP Version Not Supported"
        };
        for (String k : known) {
            LINES[Integer.parseInt(k.substring(0, 3))] = ("HTTP/1.1 " + k + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Reasons() {}

    static byte[] statusLine(int status) {
        byte[] line = LINES[status];
        return line != null ? line : ("HTTP/1.1 " + status + " \r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String phrase(int status) {
        byte[] line = LINES[status];
        return line == null ? "Status " + status : new String(line, 13, line.length - 15, StandardCharsets.US_ASCII);
    }
}
