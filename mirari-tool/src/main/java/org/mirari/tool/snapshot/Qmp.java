package org.mirari.tool.snapshot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.json.JsonString;

/**
 * A client of QEMU's machine protocol on a Unix socket ({@code -qmp unix:PATH,server=on,wait=off}):
 * one command at a time, each answer awaited with a deadline, events skipped. A QEMU that exits
 * closes the socket, which ends any wait at once with an {@link IOException}.
 */
public final class Qmp implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private final SocketChannel channel;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("qmp-reader").start(() -> {
            try (in) {
                for (String l; (l = in.readLine()) != null; ) lines.add(l);
            } catch (IOException e) {
                // closed: the waiter sees the end below
            } finally {
                lines.add(EOF);
            }
        });
    }

    /**
     * Connects once QEMU has made the socket (it does so early in its start), reads the greeting
     * and enters command mode; {@code alive} says whether QEMU still runs (no point waiting if not).
     */
    public static Qmp connect(Path socket, Duration timeout, java.util.function.BooleanSupplier alive)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                var qmp = new Qmp(ch);
                if (!(qmp.next(deadline) instanceof QmpReply.Greeting))
                    throw new IOException("QEMU's monitor did not greet");
                qmp.execute("qmp_capabilities", "", deadlineLeft(deadline));
                return qmp;
            } catch (java.net.SocketException | java.nio.file.NoSuchFileException e) {
                ch.close();
                if (!alive.getAsBoolean()) throw new IOException("QEMU ended before its monitor answered");
                if (System.nanoTime() > deadline)
                    throw new IOException("QEMU's monitor socket did not appear: " + socket);
                Thread.sleep(5); // polling for a socket a child process makes; no event to wait on
            }
        }
    }

    private static Duration deadlineLeft(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /**
     * Runs {@code command} with {@code arguments} (a JSON object's members, or empty) and returns its
     * answer; an error answer is an {@link IOException} with QEMU's description.
     */
    public QmpReply.Return execute(String command, String arguments, Duration timeout)
            throws IOException, InterruptedException {
        String msg = "{\"execute\":\"" + command + "\""
                + (arguments.isEmpty() ? "" : ",\"arguments\":{" + arguments + "}") + "}\n";
        var buf = ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8));
        try {
            while (buf.hasRemaining()) channel.write(buf);
        } catch (IOException e) {
            // A closed channel has no message of its own: say what it means.
            throw new IOException("QEMU ended (its monitor closed)", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            switch (next(deadline)) {
                case QmpReply.Return r -> {
                    return r;
                }
                case QmpReply.Error e -> throw new IOException(command + ": " + e.description());
                case QmpReply.Event e -> {}
                case QmpReply.Greeting g -> {}
            }
        }
    }

    /** An HMP command through {@code human-monitor-command}; its text answer, which is empty on success. */
    public String human(String commandLine, Duration timeout) throws IOException, InterruptedException {
        var r = execute("human-monitor-command", "\"command-line\":" + JsonString.of(commandLine), timeout);
        return QmpReply.text(r).orElse("").strip();
    }

    private QmpReply next(long deadline) throws IOException, InterruptedException {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) throw new IOException("QEMU's monitor did not answer in time");
        if (line == EOF) {
            lines.add(EOF);
            throw new IOException("QEMU ended (its monitor closed)");
        }
        try {
            return QmpReply.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IOException("QEMU's monitor said something unexpected: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
