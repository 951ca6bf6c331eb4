package org.mirari.tool.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    @Test
    void parsesEveryPolicyAndShowsItAsGiven() {
        assertThat(RestartPolicy.parse("no")).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.parse("on-failure"))
                .isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 5, false));
        assertThat(RestartPolicy.parse("on-failure:3"))
                .isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 3, true));
        assertThat(RestartPolicy.parse("always")).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS, 5, false));
        for (var text : new String[] {"no", "on-failure", "on-failure:3", "always", "always:7"})
            assertThat(RestartPolicy.parse(text)).hasToString(text);
    }

    @Test
    void refusesWhatIsNotAPolicyWithWhatIs() {
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes"))
                .hasMessage("--restart \"sometimes\" is not a policy; use no, on-failure[:N] or always");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:0"))
                .hasMessage("--restart \"on-failure:0\": the count after ':' must be a number from 1 to 1000");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestartPolicy.parse("no:2")).hasMessage("--restart \"no:2\": no takes no count");
    }

    @Test
    void whatRestarts() {
        assertThat(RestartPolicy.NO.restarts(1)).isFalse();
        assertThat(RestartPolicy.parse("on-failure").restarts(1)).isTrue();
        assertThat(RestartPolicy.parse("on-failure").restarts(0)).isFalse();
        assertThat(RestartPolicy.parse("always").restarts(0)).isTrue();
    }

    @Test
    void theBackoffDoublesFrom200MsUpTo10s() {
        assertThat(RestartPolicy.backoff(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartPolicy.backoff(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(RestartPolicy.backoff(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(RestartPolicy.backoff(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RestartPolicy.backoff(1000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void xlOnCrashMapsToAPolicyOffXen() {
        assertThat(RestartPolicy.fromOnCrash("restart")).hasToString("on-failure");
        assertThat(RestartPolicy.fromOnCrash("destroy")).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.fromOnCrash("preserve")).isEqualTo(RestartPolicy.NO);
    }
}
