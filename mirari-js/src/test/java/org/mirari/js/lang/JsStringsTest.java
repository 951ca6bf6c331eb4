package org.mirari.js.lang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsStrings#lines} splits as the JDK's {@code String.lines()} does. */
class JsStringsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n", "\n\n", "\r\r\n\n", "a\rb", "x\n\ny\r"})
    void linesAsTheJdkSplitsThem(String s) {
        assertThat(JsStrings.lines(s).toList()).isEqualTo(s.lines().toList());
    }
}
