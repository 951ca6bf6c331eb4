package org.mirari.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.console.RestoreMessage;

class RestoreTraceTest {
    @TempDir
    Path dir;

    @Test
    void theReportGivesEachStepOfThisRestoreAfterItsFirst() {
        var records = List.of(
                "6,100,5000000,-;Linux version 6.1",
                // the rehearsal's steps (another time= word) are not this restore's
                "7,101,6000000,-;mirari-trace 1.000 read",
                "7,102,7000000,-;mirari-trace 2.500 read",
                "7,103,7012345,-;mirari-trace 2.500 reseeded",
                " SUBSYSTEM=whatever",
                "7,104,7100000,c;mirari-trace 2.500 parsed",
                "7,105,7100000,-;mirari-trace 2.500 Bad-Name",
                "7,106,x,-;mirari-trace 2.500 hooks",
                "7,107,7250000,-;mirari-trace 2.500 acknowledged");
        assertThat(RestoreTrace.report(4, "2.500", records))
                .isEqualTo("mirari-vm: restore-trace gen=4 ms after read: reseeded 12.3, parsed 100.0,"
                        + " acknowledged 250.0");
        assertThat(RestoreTrace.report(4, "9.999", records))
                .isEqualTo("mirari-vm: restore-trace gen=4 no steps were logged");
    }

    @Test
    void onlyALineWithTraceOneIsTraced() throws Exception {
        Path kmsg = Files.createFile(dir.resolve("kmsg"));
        RestoreTrace.of("gen=1 time=2.500 seed=00 jseed=00", kmsg).step("parsed");
        RestoreTrace.of("gen=1 time=2.500 seed=00 jseed=00 trace=11", kmsg).step("parsed");
        assertThat(kmsg).isEmptyFile();
        assertThat(RestoreTrace.of("gen=1 time=2.500 seed=00", kmsg).report(1)).isNull();
    }

    /**
     * A traced restore through the listener: every step is written to the log (here a plain file,
     * which keeps no record headers, so the report finds no stamps), and the report follows the
     * acknowledgement. Reading stops at the file's end as at this restore's last record.
     */
    @Test
    void aTracedRestoreWritesItsStepsAndReportsAfterItsAnswer() throws Exception {
        Path kmsg = Files.createFile(dir.resolve("kmsg"));
        var out = new ByteArrayOutputStream();
        var listener = new RestoreListener(
                dir.resolve("fifo"),
                kmsg,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        byte[] seed = new byte[32];
        var line = new RestoreMessage(7, 2_500, seed, seed, Map.of("trace", "1")).line();
        listener.handle(line.substring(RestoreMessage.PREFIX.length()));
        assertThat(Files.readAllLines(kmsg))
                .containsExactly(
                        "<7>mirari-trace 2.500 parsed",
                        "<7>mirari-trace 2.500 seeded",
                        "<7>mirari-trace 2.500 hooks",
                        "<7>mirari-trace 2.500 acknowledged");
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("mirari-restored gen=7", "mirari-vm: restore-trace gen=7 no steps were logged");
    }
}
