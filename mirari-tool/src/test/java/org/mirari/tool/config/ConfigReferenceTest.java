package org.mirari.tool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's config reference documents every key the parser knows, with its default and an example. */
class ConfigReferenceTest {
    @Test
    void everyKeyHasARowInTheReadme() throws IOException {
        var readme = Files.readString(
                Path.of(System.getProperty("mirari.home", "..")).resolve("README.md"));
        int start = readme.indexOf("## Config reference");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("README has a Config reference section").isNotNegative();
        var section = readme.substring(start, end < 0 ? readme.length() : end);
        for (var key : Key.values()) {
            var cell = "| `" + key.spelling() + (key.isPrefix() ? "<" : "`");
            assertThat(section).as("row for " + key.spelling()).contains(cell);
        }
    }
}
