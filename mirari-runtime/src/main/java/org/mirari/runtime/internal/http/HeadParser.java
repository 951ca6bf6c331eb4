package org.mirari.runtime.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.internal.text.Ascii;

/**
 * Parses a request line and header section (RFC 9112 §2-§6) from bytes already received.
 * Strict where leniency enables request smuggling (obsolete line folding, whitespace before a
 * colon, conflicting {@code Content-Length}, {@code Content-Length} with {@code Transfer-Encoding}
 * are all 400), lenient where it is harmless (a bare LF ends a line, leading empty lines are
 * skipped, RFC 9112 §2.2).
 */
public final class HeadParser {
    /** At most this many header fields per request. */
    public static final int MAX_FIELDS = 100;

    private HeadParser() {}

    /**
     * The index just past the blank line ending the head that starts at {@code start}, or -1.
     * Scanning resumes at {@code from} (an earlier call's {@code end}) so that a head arriving
     * byte by byte is not rescanned from the start each time.
     */
    public static int findEnd(byte[] b, int start, int end, int from) {
        int i = Math.max(start, from - 3);
        // Leading empty lines are not the end of a head (RFC 9112 §2.2): skip them first.
        int first = start;
        while (first < end && (b[first] == '\r' || b[first] == '\n')) {
            first++;
        }
        i = Math.max(i, first);
        for (; i < end; i++) {
            if (b[i] == '\n') {
                if (i + 1 < end && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < end && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** Parses a whole buffer: the head must end within it. For tests and fuzzing. */
    public static RequestHead parse(byte[] b, int maxHeadBytes) throws HttpParseException {
        int end = findEnd(b, 0, b.length, 0);
        if (end < 0) {
            throw new HttpParseException(400, "incomplete request head");
        }
        if (end > maxHeadBytes) {
            throw new HttpParseException(431, "request head larger than " + maxHeadBytes + " bytes");
        }
        return parse(b, 0, end);
    }

    /** Parses the head in {@code b[start, end)}, where {@code end} came from {@link #findEnd}. */
    public static RequestHead parse(byte[] b, int start, int end) throws HttpParseException {
        int p = start;
        while (p < end && (b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        // request-line = method SP request-target SP HTTP-version
        int m = p;
        while (p < end && isTchar(b[p])) {
            p++;
        }
        if (p == m || p >= end || b[p] != ' ') {
            throw new HttpParseException(400, "malformed request line");
        }
        String method = ascii(b, m, p);
        int t = ++p;
        while (p < end && b[p] > ' ' && b[p] < 0x7f) {
            p++;
        }
        if (p == t || p >= end || b[p] != ' ') {
            throw new HttpParseException(400, "malformed request target");
        }
        String target = ascii(b, t, p);
        p++;
        if (end - p < 9
                || b[p] != 'H'
                || b[p + 1] != 'T'
                || b[p + 2] != 'T'
                || b[p + 3] != 'P'
                || b[p + 4] != '/'
                || !isDigit(b[p + 5])
                || b[p + 6] != '.'
                || !isDigit(b[p + 7])) {
            throw new HttpParseException(400, "malformed HTTP version");
        }
        int major = b[p + 5] - '0';
        int minor = b[p + 7] - '0';
        p += 8;
        p = lineEnd(b, p, end);
        if (major != 1 || minor > 1) {
            throw new HttpParseException(505, "HTTP version " + major + "." + minor + " not supported; use HTTP/1.1");
        }

        var fields = new ArrayList<Headers.Field>(8);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        boolean keepAliveToken = false;
        boolean expectContinue = false;
        int hosts = 0;
        while (true) {
            if (p >= end) {
                throw new HttpParseException(400, "request head ends inside a field");
            }
            if (b[p] == '\n') {
                break;
            }
            if (b[p] == '\r') {
                if (p + 1 < end && b[p + 1] == '\n') {
                    break;
                }
                throw new HttpParseException(400, "bare CR in header section");
            }
            if (b[p] == ' ' || b[p] == '\t') {
                throw new HttpParseException(400, "obsolete line folding is not accepted");
            }
            int n = p;
            while (p < end && isTchar(b[p])) {
                p++;
            }
            if (p == n || p >= end || b[p] != ':') {
                throw new HttpParseException(400, "malformed header field name");
            }
            String name = ascii(b, n, p);
            p++;
            while (p < end && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int v = p;
            while (p < end && b[p] != '\r' && b[p] != '\n') {
                byte c = b[p];
                if ((c >= 0 && c < ' ' && c != '\t') || c == 0x7f) {
                    throw new HttpParseException(400, "control character in header field " + name);
                }
                p++;
            }
            int ve = p;
            while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                ve--;
            }
            p = lineEnd(b, p, end);
            String value = new String(b, v, ve - v, StandardCharsets.ISO_8859_1);
            if (fields.size() == MAX_FIELDS) {
                throw new HttpParseException(431, "more than " + MAX_FIELDS + " header fields");
            }
            fields.add(new Headers.Field(name, value));

            if (name.equalsIgnoreCase("Content-Length")) {
                long len = contentLength(value);
                if (contentLength >= 0 && contentLength != len) {
                    throw new HttpParseException(400, "conflicting Content-Length fields");
                }
                contentLength = len;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                // The fields form one list of codings (RFC 9110 §5.3). Chunked applied twice, or
                // not last, leaves the body length unknowable: 400 (RFC 9112 §6.1, §6.3). Only a
                // lone chunked is understood: 501 for any other coding (RFC 9112 §6.1).
                for (String token : value.split(",", -1)) {
                    String coding = token.strip();
                    if (coding.isEmpty()) {
                        continue;
                    }
                    if (chunked) {
                        throw new HttpParseException(
                                400,
                                coding.equalsIgnoreCase("chunked")
                                        ? "Transfer-Encoding applies chunked twice"
                                        : "Transfer-Encoding has a coding after chunked");
                    }
                    if (!coding.equalsIgnoreCase("chunked")) {
                        throw new HttpParseException(501, "Transfer-Encoding " + value + " not supported; use chunked");
                    }
                    chunked = true;
                }
                if (!chunked) {
                    throw new HttpParseException(400, "Transfer-Encoding without a coding");
                }
            } else if (name.equalsIgnoreCase("Host")) {
                hosts++;
            } else if (name.equalsIgnoreCase("Connection")) {
                for (String token : value.split(",")) {
                    String tok = token.strip();
                    close |= tok.equalsIgnoreCase("close");
                    keepAliveToken |= tok.equalsIgnoreCase("keep-alive");
                }
            } else if (name.equalsIgnoreCase("Expect")) {
                if (!value.equalsIgnoreCase("100-continue")) {
                    throw new HttpParseException(417, "Expect " + value + " not supported");
                }
                expectContinue = true;
            }
        }
        p = lineEnd(b, p, end);
        if (p != end) {
            throw new HttpParseException(400, "malformed header section");
        }
        if (chunked && contentLength >= 0) {
            // RFC 9112 §6.3: a message with both is a smuggling attempt or a broken client.
            throw new HttpParseException(400, "both Content-Length and Transfer-Encoding");
        }
        if (chunked && minor == 0) {
            throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (minor == 1 && hosts != 1) {
            // RFC 9112 §3.2: exactly one Host field in an HTTP/1.1 request.
            throw new HttpParseException(400, hosts == 0 ? "missing Host header" : "several Host headers");
        }
        boolean keepAlive = minor == 1 ? !close : keepAliveToken && !close;
        return new RequestHead(
                method,
                target,
                minor,
                List.copyOf(fields),
                contentLength,
                chunked,
                keepAlive,
                expectContinue,
                end - start);
    }

    /** Skips CRLF or LF at {@code p}; anything else is malformed. */
    private static int lineEnd(byte[] b, int p, int end) throws HttpParseException {
        if (p < end && b[p] == '\r') {
            p++;
        }
        if (p < end && b[p] == '\n') {
            return p + 1;
        }
        throw new HttpParseException(400, "malformed line ending");
    }

    /** A Content-Length value: digits, or a list of identical digit strings (RFC 9112 §6.3). */
    private static long contentLength(String value) throws HttpParseException {
        long result = -1;
        for (String part : value.split(",", -1)) {
            String s = part.strip();
            if (!Ascii.digits(s, 18)) {
                throw new HttpParseException(400, "malformed Content-Length");
            }
            long n = Long.parseLong(s);
            if (result >= 0 && n != result) {
                throw new HttpParseException(400, "conflicting Content-Length values");
            }
            result = n;
        }
        return result;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static final boolean[] TCHAR = new boolean[128];

    static {
        // tchar, RFC 9110 §5.6.2
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private static boolean isTchar(byte c) {
        return c >= 0 && TCHAR[c];
    }
}
