package org.mirari.tool.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {
    @TempDir
    Path dir;

    @Test
    void dependsOnContentNotOrderOrTime() throws IOException {
        var a = Files.writeString(dir.resolve("a"), "one");
        var first = new Fingerprint().value("x", "1").file("a", a).hex();
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(new Fingerprint().file("a", a).value("x", "1").hex()).isEqualTo(first);
        Files.writeString(a, "two");
        assertThat(new Fingerprint().value("x", "1").file("a", a).hex()).isNotEqualTo(first);
    }

    @Test
    void missingFileDiffersFromEmptyFile() throws IOException {
        var missing = new Fingerprint().file("a", dir.resolve("a")).hex();
        Files.writeString(dir.resolve("a"), "");
        assertThat(new Fingerprint().file("a", dir.resolve("a")).hex())
                .isNotEqualTo(missing)
                .hasSize(64);
    }

    @Test
    void namesAndValuesCannotBeConfused() {
        assertThat(new Fingerprint().value("ab", "c").hex())
                .isNotEqualTo(new Fingerprint().value("a", "bc").hex());
    }
}
