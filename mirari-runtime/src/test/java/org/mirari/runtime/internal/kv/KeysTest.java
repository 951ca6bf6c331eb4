package org.mirari.runtime.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {
    @ParameterizedTest
    @CsvSource({"a,a", "a/b,a/b", "./a,a", "a//b,a/b", "a/./b/,a/b", "a.b/.c/d..e,a.b/.c/d..e"})
    void normalises(String in, String out) {
        assertThat(Keys.normalize(in)).contains(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/a", "..", "../a", "a/..", "a/../b", "a\\b", "a\0b", ".", "./", "//"})
    void refuses(String in) {
        assertThat(Keys.normalize(in)).isEmpty();
    }
}
