package org.mirari.tool.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void staysWithinTwiceItsBoundAndTailReadsAcrossTheRotation() throws Exception {
        var file = dir.resolve("console.log");
        try (var out = new PrintStream(new ConsoleLog(file, 100), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 1000; i++) out.println("line " + i);
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(100);
        assertThat(Files.size(ConsoleLog.previous(file))).isLessThanOrEqualTo(100);
        assertThat(ConsoleLog.tail(file, 3)).containsExactly("line 997", "line 998", "line 999");
        var all = ConsoleLog.tail(file, -1);
        assertThat(all.getLast()).isEqualTo("line 999");
        // what is kept is a run of whole, consecutive lines
        int first = Integer.parseInt(all.getFirst().substring(5));
        for (int i = 0; i < all.size(); i++) assertThat(all.get(i)).isEqualTo("line " + (first + i));
    }

    @Test
    void tailOfAShortOrMissingLog() throws Exception {
        var file = dir.resolve("console.log");
        assertThat(ConsoleLog.tail(file, 5)).isEmpty();
        Files.writeString(file, "a\nb\n");
        assertThat(ConsoleLog.tail(file, 5)).containsExactly("a", "b");
        assertThat(ConsoleLog.tail(file, 0)).isEmpty();
        Files.writeString(file, "a\nno newline yet");
        assertThat(ConsoleLog.tail(file, 1)).containsExactly("no newline yet");
    }

    @Test
    void followShowsWhatIsWrittenUntilTheWriterIsGoneAcrossRotations() throws Exception {
        var file = dir.resolve("console.log");
        var log = new ConsoleLog(file, 64);
        var out = new PrintStream(log, true, StandardCharsets.UTF_8);
        out.println("before");
        var seen = new ArrayList<String>();
        var polls = new AtomicInteger();
        // The writer writes between polls; it is "gone" after 20 lines.
        ConsoleLog.follow(file, seen::add, () -> {
            int n = polls.getAndIncrement();
            if (n < 20) out.println("follow " + n);
            return n < 20;
        });
        out.close();
        var expected = new ArrayList<String>();
        for (int i = 0; i < 20; i++) expected.add("follow " + i);
        assertThat(seen).isEqualTo(List.copyOf(expected));
    }
}
