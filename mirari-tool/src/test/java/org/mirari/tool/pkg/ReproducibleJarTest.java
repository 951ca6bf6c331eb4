package org.mirari.tool.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleJarTest {
    @TempDir
    Path dir;

    private static TreeMap<String, byte[]> entries() {
        var m = new TreeMap<String, byte[]>();
        m.put("b/C.class", new byte[] {1, 2, 3});
        m.put("Main.class", new byte[] {4});
        m.put("a/x/Y.class", new byte[] {5, 6});
        return m;
    }

    @Test
    void sameInputsGiveIdenticalBytes() throws IOException {
        var attrs = new LinkedHashMap<String, String>(Map.of("Main-Class", "Main"));
        var one = dir.resolve("one.jar");
        var two = dir.resolve("two.jar");
        ReproducibleJar.write(one, attrs, entries(), ReproducibleJar.EARLIEST);
        ReproducibleJar.write(two, attrs, entries(), ReproducibleJar.EARLIEST);
        assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(two));
        assertThat(dir.resolve("one.jar.tmp")).doesNotExist();
    }

    @Test
    void manifestFirstThenSortedEntriesWithOneTimestamp() throws IOException {
        var jar = dir.resolve("app.jar");
        ReproducibleJar.write(jar, Map.of("Main-Class", "Main"), entries(), ReproducibleJar.EARLIEST);
        try (var zip = new ZipFile(jar.toFile())) {
            var names = new ArrayList<String>();
            zip.stream().forEach(e -> {
                names.add(e.getName());
                assertThat(e.getTimeLocal()).isEqualTo(LocalDateTime.of(1980, 1, 1, 0, 0, 2));
            });
            assertThat(names)
                    .containsExactly(
                            "META-INF/",
                            "META-INF/MANIFEST.MF",
                            "Main.class",
                            "a/",
                            "a/x/",
                            "a/x/Y.class",
                            "b/",
                            "b/C.class");
        }
        try (var in = new JarInputStream(Files.newInputStream(jar))) {
            assertThat(in.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("Main");
        }
    }

    @Test
    void sourceDateEpochSetsTheTime() {
        assertThat(ReproducibleJar.entryTime(Map.of("SOURCE_DATE_EPOCH", "1700000000")))
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20));
        assertThat(ReproducibleJar.entryTime(Map.of("SOURCE_DATE_EPOCH", "0"))).isEqualTo(ReproducibleJar.EARLIEST);
        assertThat(ReproducibleJar.entryTime(Map.of("SOURCE_DATE_EPOCH", "x"))).isEqualTo(ReproducibleJar.EARLIEST);
        assertThat(ReproducibleJar.entryTime(Map.of())).isEqualTo(ReproducibleJar.EARLIEST);
    }
}
