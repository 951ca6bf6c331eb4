package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void objectsOfStringsNumbersNullAndLists() {
        assertThat(Json.object("a", "x", "n", 3, "z", null, "l", List.of("p", "q")))
                .isEqualTo("{\"a\":\"x\",\"n\":3,\"z\":null,\"l\":[\"p\",\"q\"]}");
        assertThat(Json.array(List.of("{}", "{}"))).isEqualTo("[{},{}]");
        assertThat(Json.array(List.of())).isEqualTo("[]");
    }
}
