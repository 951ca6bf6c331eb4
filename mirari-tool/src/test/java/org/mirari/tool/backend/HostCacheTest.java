package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.EnvironmentException;

/** Where the cache is, and the message when it cannot be used. */
class HostCacheTest {
    @TempDir
    Path tmp;

    private static Host host(Map<String, String> env, Map<String, String> properties) {
        return new Host(new ToolContext(Path.of("."), env, Path.of("."), properties));
    }

    @Test
    void mirariCacheComesBeforeXdgAndTheProperty() {
        assertThat(host(Map.of("MIRARI_CACHE", "/c", "XDG_CACHE_HOME", "/x"), Map.of("user.home", "/h"))
                        .cacheDir())
                .isEqualTo(Path.of("/c"));
        assertThat(host(Map.of("MIRARI_CACHE", "/c"), Map.of("mirari.cache", "/p"))
                        .cacheDir())
                .isEqualTo(Path.of("/p"));
        assertThat(host(Map.of("XDG_CACHE_HOME", "/x"), Map.of()).cacheDir()).isEqualTo(Path.of("/x/mirari"));
        assertThat(host(Map.of(), Map.of("user.home", "/h")).cacheDir()).isEqualTo(Path.of("/h/.cache/mirari"));
    }

    @Test
    void anUnusableCacheIsNamedWithWhereElse() throws IOException {
        var file = Files.writeString(tmp.resolve("file"), "x");
        var h = host(Map.of("MIRARI_CACHE", file.resolve("cache").toString()), Map.of());
        assertThatThrownBy(h::usableCacheDir)
                .isInstanceOfSatisfying(
                        EnvironmentException.class,
                        e -> assertThat(e.exitCode().code()).isEqualTo(6))
                .hasMessage("cannot use the cache directory " + file.resolve("cache") + ": " + file
                        + " is not a directory; set MIRARI_CACHE (or XDG_CACHE_HOME) to a writable directory, or a"
                        + " writable HOME");
        var ok = tmp.resolve("fresh/cache");
        assertThat(host(Map.of("MIRARI_CACHE", ok.toString()), Map.of()).usableCacheDir())
                .isEqualTo(ok);
        assertThat(ok).isEmptyDirectory();
    }
}
