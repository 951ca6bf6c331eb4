package org.mirari.runtime.internal.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the request parser the way a connection drives it: find the head, parse it, decode
 * the target, then de-chunk the rest when the head says chunked. Only {@link HttpParseException}
 * may escape, and every call must return (Jazzer reports hangs when fuzzing). Seeds live in
 * {@code RequestParserFuzzTestInputs/parse/}; run {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class RequestParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        try {
            int end = HeadParser.findEnd(data, 0, data.length, 0);
            if (end < 0) {
                return;
            }
            // findEnd must agree with itself when resumed part-way, as a connection does
            int resumed = HeadParser.findEnd(data, 0, data.length, end / 2);
            if (resumed != end) {
                throw new IllegalStateException("findEnd " + end + " but resumed " + resumed);
            }
            RequestHead head = HeadParser.parse(data, 0, end);
            Targets.parse(head.target());
            if (head.chunked()) {
                var decoder = new ChunkedDecoder(1 << 20);
                int p = end;
                // feed in two pieces to exercise the incremental state machine
                int mid = p + (data.length - p) / 2;
                p += decoder.feed(data, p, mid);
                if (p == mid) {
                    p += decoder.feed(data, p, data.length);
                }
                if (p > data.length) {
                    throw new IllegalStateException("consumed past the end");
                }
                if (decoder.done()) {
                    decoder.body();
                }
            }
        } catch (HttpParseException expected) {
            if (expected.status() < 400 || expected.status() > 505) {
                throw new IllegalStateException("status " + expected.status());
            }
        }
    }
}
