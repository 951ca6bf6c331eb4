package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KvResponsesTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes=0-9|0-9", "bytes=5-|5-99", "bytes=-10|90-99", "bytes=-500|0-99", "bytes=90-200|90-99",
                "BYTES=1-1|1-1", "bytes = 1-1|ignored", "bytes=100-|unsatisfiable", "bytes=-0|unsatisfiable",
                        "bytes=200-300|unsatisfiable",
                "bytes=5-1|ignored", "bytes=0-1,3-4|ignored", "items=0-1|ignored", "bytes=a-b|ignored",
                        "bytes=-|ignored",
                "bytes=1|ignored", "bytes=99999999999999999999-|ignored"
            })
    void parsesRanges(String header, String expected) {
        long[] r = KvResponses.parseRange(header, 100);
        String got = r == null ? "ignored" : r == KvResponses.UNSATISFIABLE ? "unsatisfiable" : r[0] + "-" + r[1];
        assertThat(got).isEqualTo(expected);
    }
}
