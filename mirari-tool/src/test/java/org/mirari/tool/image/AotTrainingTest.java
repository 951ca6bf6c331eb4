package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AotTrainingTest {
    @Test
    void theHttpsPortIsReadFromTheReadyLineOnlyWhenItNamesOne() {
        assertThat(
                        AotTraining.httpsPort(
                                "mirari-ready: listening url=http://127.0.0.1:8080/ https=https://127.0.0.1:8443/ uptime_ms=530"))
                .contains(8443);
        assertThat(AotTraining.httpsPort("mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=530"))
                .isEmpty();
    }
}
