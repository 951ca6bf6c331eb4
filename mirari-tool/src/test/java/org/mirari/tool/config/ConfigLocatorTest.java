package org.mirari.tool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.ConfigException;

class ConfigLocatorTest {
    @TempDir
    Path cwd;

    @Test
    void theOnlyConfOfTheCurrentDirectory() throws IOException {
        Files.writeString(cwd.resolve("app.conf"), "");
        Files.writeString(cwd.resolve("notes.txt"), "");
        var l = ConfigLocator.locate(null, cwd);
        assertThat(l.file()).isEqualTo(cwd.resolve("app.conf"));
        assertThat(l.shownAs()).isEqualTo("app.conf");
    }

    @Test
    void aDirectoryOrAFile() throws IOException {
        Files.createDirectories(cwd.resolve("apps/shop"));
        Files.writeString(cwd.resolve("apps/shop/shop.conf"), "");
        assertThat(ConfigLocator.locate("apps/shop", cwd).shownAs()).isEqualTo("apps/shop/shop.conf");
        assertThat(ConfigLocator.locate("apps/shop/shop.conf", cwd).file())
                .isEqualTo(cwd.resolve("apps/shop/shop.conf"));
        assertThat(ConfigLocator.locate(cwd.resolve("apps/shop").toString(), cwd.resolve("apps"))
                        .shownAs())
                .isEqualTo("shop/shop.conf");
        assertThat(ConfigLocator.locate("../shop", cwd.resolve("apps/shop")).shownAs())
                .isEqualTo("shop.conf");
    }

    @Test
    void noConf() {
        assertThatThrownBy(() -> ConfigLocator.locate(null, cwd))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "no .conf file in the current directory (" + cwd
                                + "); create one (e.g. app.conf with main-http: Dispatch.main) or name the file: mirari configure path/to/app.conf");
    }

    @Test
    void severalConfs() throws IOException {
        Files.createDirectories(cwd.resolve("d"));
        Files.writeString(cwd.resolve("d/b.conf"), "");
        Files.writeString(cwd.resolve("d/a.conf"), "");
        assertThatThrownBy(() -> ConfigLocator.locate("d", cwd))
                .hasMessage(
                        "several .conf files in d: a.conf, b.conf; name the one to use, e.g. mirari configure d/a.conf");
    }

    @Test
    void missingOrNotAConf() throws IOException {
        Files.writeString(cwd.resolve("x.txt"), "");
        assertThatThrownBy(() -> ConfigLocator.locate("nope", cwd))
                .hasMessage("nope does not exist; give a .conf file or the directory holding one");
        assertThatThrownBy(() -> ConfigLocator.locate("x.txt", cwd))
                .hasMessage("x.txt is not a .conf file; give a <name>.conf file or the directory holding one");
    }
}
