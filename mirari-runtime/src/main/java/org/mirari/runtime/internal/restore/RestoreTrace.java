package org.mirari.runtime.internal.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * Where a restore's time goes inside the guest, when the restore line asks for it with {@code
 * trace=1} ({@code MIRARI_RESTORE_TRACE=1 mirari run}, which bench/vm restore sets for its traced
 * runs). Each step is one record in the kernel's log ({@code /dev/kmsg}), which stamps it with the
 * kernel's clock to the microsecond: one clock for the init's reader (a shell, whose finest clock is
 * {@code /proc/uptime}'s 10 ms) and the JVM. The reader writes {@code read} (the line parsed), {@code
 * reseeded} (clock and kernel RNG set) and {@code handed} (the line in the FIFO); this runtime writes
 * {@code parsed}, {@code seeded} ({@code SecureRandom}), {@code hooks} and {@code acknowledged}. Each
 * record carries the line's {@code time=} word, which no two restores share. After the
 * acknowledgement (so the steps measured pay only for the writes) the records are read back and
 * printed as one console line, which {@code mirari run} puts in its timeline:
 *
 * <pre>mirari-vm: restore-trace gen=3 ms after read: reseeded 12.3, handed 20.1, parsed ...</pre>
 *
 * Without {@code trace=1} nothing is written or read.
 */
final class RestoreTrace {
    /** The restore line's word that asks for a trace. */
    static final String WORD = "trace=1";

    static final String PREFIX = "mirari-trace ";
    static final String DEFAULT_KMSG = "/dev/kmsg";

    private static final RestoreTrace OFF = new RestoreTrace(null, null, null);

    /**
     * The log, opened by the first traced restore and kept: opening a file is a path through the JDK
     * that a restore would otherwise measure (and under TCG pay for again in every copy).
     */
    private static OutputStream open;

    private static synchronized OutputStream log(Path kmsg) throws IOException {
        if (open == null || !kmsg.equals(openPath)) {
            if (open != null) open.close();
            open = Files.newOutputStream(kmsg, StandardOpenOption.WRITE);
            openPath = kmsg;
        }
        return open;
    }

    private static Path openPath;

    private final Path kmsg;
    private final String tag;
    private final OutputStream log;
    private boolean complete = true;

    private RestoreTrace(Path kmsg, String tag, OutputStream log) {
        this.kmsg = kmsg;
        this.tag = tag;
        this.log = log;
    }

    /** A trace of this restore if {@code line} asks for one (and the kernel's log opens), else a no-op. */
    static RestoreTrace of(String line, Path kmsg) {
        String tag = null;
        boolean asked = false;
        for (String word : line.split(" ")) {
            if (word.equals(WORD)) asked = true;
            if (word.startsWith("time=")) tag = word.substring("time=".length());
        }
        if (!asked || tag == null || tag.isEmpty() || tag.length() > 20) return OFF;
        for (int i = 0; i < tag.length(); i++)
            if ((tag.charAt(i) < '0' || tag.charAt(i) > '9') && tag.charAt(i) != '.') return OFF;
        try {
            return new RestoreTrace(kmsg, tag, log(kmsg));
        } catch (IOException e) {
            return OFF;
        }
    }

    /** Stamps {@code name} (at debug level, {@code <7>}: never shown on the console). */
    void step(String name) {
        if (log == null) return;
        try {
            log.write(("<7>" + PREFIX + tag + " " + name + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            complete = false;
        }
    }

    /**
     * Reads this restore's steps back and returns the report line (null without a trace). Only when
     * every step was written: a reader of {@code /dev/kmsg} blocks at the log's end, so it must stop
     * at its own {@code acknowledged}, the newest of its records.
     */
    String report(long generation) {
        if (log == null) return null;
        if (!complete) return "mirari-vm: restore-trace gen=" + generation + " could not write to " + kmsg;
        var records = new ArrayList<String>();
        String last = PREFIX + tag + " acknowledged";
        // A new reader starts at the oldest record.
        try (var in = new BufferedReader(new InputStreamReader(Files.newInputStream(kmsg), StandardCharsets.UTF_8))) {
            for (String r; (r = in.readLine()) != null; ) {
                if (!r.contains(PREFIX + tag + " ")) continue;
                records.add(r);
                if (r.endsWith(last)) break;
            }
        } catch (IOException e) {
            return "mirari-vm: restore-trace gen=" + generation + " cannot read " + kmsg + ": " + e.getMessage();
        }
        return report(generation, tag, records);
    }

    /**
     * The report line from kernel-log records ({@code PRI,SEQ,MICROS,FLAGS;message}): the steps
     * tagged {@code tag}, each in milliseconds after the first.
     */
    static String report(long generation, String tag, List<String> records) {
        var steps = steps(tag, records);
        var b = new StringBuilder("mirari-vm: restore-trace gen=").append(generation);
        if (steps.isEmpty()) return b.append(" no steps were logged").toString();
        var first = steps.firstEntry();
        b.append(" ms after ").append(first.getKey()).append(':');
        String sep = " ";
        for (var e : steps.sequencedEntrySet()) {
            if (e.getKey().equals(first.getKey())) continue;
            b.append(sep)
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", (e.getValue() - first.getValue()) / 1000.0));
            sep = ", ";
        }
        return b.toString();
    }

    /** The steps tagged {@code tag}, each at its kernel time in microseconds, in order (a repeated name: its first). */
    static SequencedMap<String, Long> steps(String tag, List<String> records) {
        var steps = new LinkedHashMap<String, Long>();
        String prefix = PREFIX + tag + " ";
        for (String r : records) {
            int semi = r.indexOf(';');
            if (semi < 0 || !r.startsWith(prefix, semi + 1)) continue;
            String name = r.substring(semi + 1 + prefix.length()).strip();
            if (!name.matches("[a-z]{1,20}")) continue;
            String[] head = r.substring(0, semi).split(",");
            if (head.length < 3 || !head[2].matches("\\d{1,18}")) continue;
            steps.putIfAbsent(name, Long.parseLong(head[2]));
        }
        return steps;
    }
}
