package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirari.tool.targets.Target;

class FastPathTest {
    @Test
    void everydayCommandLines() {
        var run = FastPath.parse(new String[] {
                    "run", "--socket", "-q", "--set", "http-port=9090", "--set=a=b", "--no-aot-cache", "app"
                })
                .orElseThrow();
        assertThat(run.app().location()).isEqualTo("app");
        assertThat(run.app().quiet()).isTrue();
        assertThat(run.target().sets()).containsExactly("http-port=9090", "a=b");
        assertThat(run.target().requested()).contains(Target.SOCKET);
        assertThat(run.noAotCache()).isTrue();
        var build = FastPath.parse(new String[] {"build"}).orElseThrow();
        assertThat(build.app().location()).isNull();
        assertThat(build.target().requested()).isEmpty();
    }

    @Test
    void everythingElseGoesToPicocli() {
        for (var args : new String[][] {
            {},
            {"configure"},
            {"run", "--help"},
            {"build", "--unix"},
            {"run", "--dry-run"},
            {"run", "a", "b"},
            {"run", "--set"},
            {"run", "--set", "novalue"},
            {"build", "--no-aot-cache"},
            {"--version"}
        }) {
            assertThat(FastPath.parse(args)).as(String.join(" ", args)).isEqualTo(Optional.empty());
        }
    }
}
