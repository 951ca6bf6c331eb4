package org.mirari.runtime.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreMessageTest {
    static final byte[] A = new byte[32], B = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            A[i] = (byte) i;
            B[i] = (byte) (255 - i);
        }
    }

    @Test
    void aLineRoundTripsWithItsParameters() {
        var m = new RestoreMessage(3, 1_796_147_033_058L, A, B, Map.of("log-level", "debug"));
        assertThat(m.line())
                .startsWith("mirari-restore gen=3 time=1796147033.058 seed=000102")
                .contains(" jseed=fffefd")
                .endsWith(" log-level=debug");
        assertThat(RestoreMessage.parse(m.line())).isEqualTo(m);
        // The init hands the runtime the words after "mirari-restore".
        assertThat(RestoreMessage.parse(m.line().substring(RestoreMessage.PREFIX.length())))
                .isEqualTo(m);
    }

    @Test
    void theMillisecondsAreThreeDigits() {
        var m = new RestoreMessage(0, 5_007L, A, B, Map.of());
        assertThat(m.line()).contains(" time=5.007 ");
        assertThat(RestoreMessage.parse(m.line()).epochMillis()).isEqualTo(5_007L);
    }

    @Test
    void badLinesSayWhatIsWrong() {
        String seeds = " seed=" + "00".repeat(32) + " jseed=" + "11".repeat(32);
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1" + seeds)).hasMessage("time= is missing");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=x time=1.000" + seeds))
                .hasMessage("gen is not a number");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1 time=1" + seeds)).hasMessage("time is not SECONDS.MMM");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1 gen=2 time=1.000" + seeds))
                .hasMessage("gen appears twice");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1 time=1.000 seed=00 jseed=" + "11".repeat(32)))
                .hasMessage("seed has 1 bytes; 16-256 are accepted");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1 time=1.000 seed=zz jseed=" + "11".repeat(32)))
                .hasMessage("seed is not hexadecimal bytes");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1 time=1.000" + seeds + " Bad=1"))
                .hasMessage("parameter name \"Bad\" is not allowed");
        assertThatThrownBy(() -> RestoreMessage.parse("gen=1 time=1.000" + seeds + " lonely"))
                .hasMessage("\"lonely\" is not key=value");
        assertThatThrownBy(() -> RestoreMessage.parse("x".repeat(RestoreMessage.MAX_LENGTH + 1)))
                .hasMessageContaining("at most 4096");
        assertThatThrownBy(() -> RestoreMessage.parse("  ")).hasMessage("the line is empty");
    }

    @Test
    void theSeedsAreCopiedInAndOut() {
        byte[] seed = A.clone();
        var m = new RestoreMessage(1, 1, seed, B, Map.of());
        seed[0] = 9;
        m.kernelSeed()[1] = 9;
        assertThat(m.kernelSeed()).isEqualTo(A);
    }

    @Test
    void anAcknowledgementNamesItsGeneration() {
        assertThat(RestoreMessage.ack(7)).isEqualTo("mirari-restored gen=7");
        assertThat(RestoreMessage.parseAck("mirari-restored gen=7\r")).isEqualTo(7);
        assertThat(RestoreMessage.parseAck("mirari-restored gen=7 hooks=2")).isEqualTo(7);
        assertThat(RestoreMessage.parseAck("mirari-restored gen=")).isEqualTo(-1);
        assertThat(RestoreMessage.parseAck("mirari-ready: listening")).isEqualTo(-1);
    }
}
