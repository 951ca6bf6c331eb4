package org.mirari.tool.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.mirari.tool.error.ConfigException;

/**
 * Fuzzes the config parser: any bytes (a conf, then {@code --set} values after NUL bytes) must
 * give a {@link Config} or a {@link ConfigException} whose every problem is a positioned,
 * non-empty message; nothing else may escape. Seeds live in
 * {@code ConfigParserFuzzTestInputs/parse/}; run with {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class ConfigParserFuzzTest {
    private static final Pattern PROBLEM = Pattern.compile(
            "(app\\.conf(:[1-9][0-9]*:[1-9][0-9]*)?|--set:[1-9][0-9]*:[1-9][0-9]*): \\S.*", Pattern.DOTALL);
    private static final Path DIR = appDir();

    private static Path appDir() {
        try {
            var dir = Files.createTempDirectory("mirari-fuzz");
            Files.createDirectories(dir.resolve("files"));
            dir.toFile().deleteOnExit();
            dir.resolve("files").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        int nul = indexOf(data, 0);
        var conf = nul < 0 ? data : Arrays.copyOf(data, nul);
        var sets = new ArrayList<String>();
        if (nul >= 0) {
            for (var s : new String(data, nul + 1, data.length - nul - 1, StandardCharsets.UTF_8).split("\u0000", -1))
                sets.add(s);
        }
        try {
            var config = new ConfigParser(DIR.resolve("app.conf"), "app.conf").parse(conf, List.copyOf(sets));
            if (config.main() == null || config.name() == null)
                throw new IllegalStateException("a config without main or name");
            for (var w : config.warnings()) check(w);
        } catch (ConfigException e) {
            if (e.problems().isEmpty()) throw new IllegalStateException("no problems");
            e.problems().forEach(ConfigParserFuzzTest::check);
            e.warnings().forEach(ConfigParserFuzzTest::check);
        }
    }

    private static void check(String message) {
        if (!PROBLEM.matcher(message).matches()) throw new IllegalStateException("malformed message: " + message);
    }

    private static int indexOf(byte[] data, int b) {
        for (int i = 0; i < data.length; i++) if (data[i] == b) return i;
        return -1;
    }
}
