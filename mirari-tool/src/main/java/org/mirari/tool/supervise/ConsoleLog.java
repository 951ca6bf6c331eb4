package org.mirari.tool.supervise;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An instance's console as a bounded, rotated file: {@code console.log} grows to {@code maxBytes},
 * then becomes {@code console.log.1} (replacing the older one) and a new {@code console.log} starts,
 * so an instance never holds more than twice {@code maxBytes} of log however long it runs. Rotation
 * happens between writes; {@link #tail} reads both files as one, so a line cut by a rotation reads
 * whole.
 */
public final class ConsoleLog extends OutputStream {
    /** The default bound of each of the two files. */
    public static final long MAX_BYTES = 1 << 20;

    private final Path file;
    private final long maxBytes;
    private OutputStream out;
    private long size;

    public ConsoleLog(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    /** The older half of {@code file}'s log. */
    public static Path previous(Path file) {
        return file.resolveSibling(file.getFileName() + ".1");
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (size > 0 && size + len > maxBytes) rotate();
        out.write(b, off, len);
        out.flush();
        size += len;
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, previous(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        open();
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** The last {@code n} lines of the log ({@code n < 0}: all of it), across the rotated file. */
    public static List<String> tail(Path file, int n) throws IOException {
        var text = new StringBuilder();
        for (var f : List.of(previous(file), file)) {
            if (Files.isRegularFile(f)) text.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
        }
        var lines = new ArrayDeque<String>();
        for (var line : text.toString().split("\n", -1)) {
            lines.add(line);
            if (n >= 0 && lines.size() > n + 1) lines.removeFirst();
        }
        // the text ends with a newline: the last "line" is the empty rest after it
        if (!lines.isEmpty() && lines.peekLast().isEmpty()) lines.removeLast();
        while (n >= 0 && lines.size() > n) lines.removeFirst();
        return new ArrayList<>(lines);
    }

    /**
     * Follows the log as {@code tail -f} does, from its end (after the lines {@link #tail} showed):
     * hands each new line to {@code sink} until {@code more} says the writer is gone (what it wrote
     * last is still shown) or the thread is interrupted. A rotation while following is noticed by the
     * file getting shorter; the rest of the rotated file is read first.
     */
    public static void follow(
            Path file, java.util.function.Consumer<String> sink, java.util.function.BooleanSupplier more)
            throws IOException, InterruptedException {
        long pos = Files.isRegularFile(file) ? Files.size(file) : 0;
        var partial = new StringBuilder();
        while (true) {
            boolean last = !more.getAsBoolean();
            long size = Files.isRegularFile(file) ? Files.size(file) : 0;
            if (size < pos) {
                // rotated: what was appended to the old file before the move is now in the .1 file
                pos = emitFrom(previous(file), pos, partial, sink);
                pos = 0;
            }
            pos = emitFrom(file, pos, partial, sink);
            if (last) break;
            Thread.sleep(100);
        }
        if (!partial.isEmpty()) sink.accept(partial.toString());
    }

    private static long emitFrom(Path f, long pos, StringBuilder partial, java.util.function.Consumer<String> sink)
            throws IOException {
        if (!Files.isRegularFile(f)) return pos;
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            if (ch.size() <= pos) return pos;
            var buf = java.nio.ByteBuffer.allocate((int) Math.min(ch.size() - pos, 1 << 20));
            ch.read(buf, pos);
            buf.flip();
            pos += buf.remaining();
            partial.append(StandardCharsets.UTF_8.decode(buf));
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            sink.accept(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        return pos;
    }
}
