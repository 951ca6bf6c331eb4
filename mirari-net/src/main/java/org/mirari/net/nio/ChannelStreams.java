package org.mirari.net.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What the socket adaptors and the socket impl share: the blocking streams of a
 * {@link StackSocketChannel}, and a channel's addresses and options as {@code java.net} reports
 * them (a failure to read an option is a {@link SocketException} there).
 */
final class ChannelStreams {
    private ChannelStreams() {}

    /** Reads honour {@code timeoutMs} (SO_TIMEOUT, 0 for none), read each time; close closes the channel when {@code closes}. */
    static InputStream input(StackSocketChannel ch, IntSupplier timeoutMs, boolean closes) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) return 0;
                int t = timeoutMs.getAsInt();
                int n = ch.readTimed(ByteBuffer.wrap(b, off, len), t == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(t));
                if (n == 0) throw new SocketTimeoutException("Read timed out");
                return n;
            }

            @Override
            public int available() {
                var s = ch.tcp();
                return s == null ? 0 : s.available();
            }

            @Override
            public void close() throws IOException {
                if (closes) ch.close();
            }
        };
    }

    static OutputStream output(StackSocketChannel ch, boolean closes) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                var buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) ch.write(buf);
            }

            @Override
            public void close() throws IOException {
                if (closes) ch.close();
            }
        };
    }

    /** An address getter that may throw (a closed channel): null then, as the socket API answers. */
    interface AddressGetter {
        java.net.SocketAddress get() throws IOException;
    }

    static java.net.InetSocketAddress address(AddressGetter g) {
        try {
            return (java.net.InetSocketAddress) g.get();
        } catch (IOException e) {
            return null;
        }
    }

    static <T> void setOption(NetworkChannel ch, SocketOption<T> option, T value) throws SocketException {
        try {
            ch.setOption(option, value);
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
    }

    static <T> T option(NetworkChannel ch, SocketOption<T> option) throws SocketException {
        try {
            return ch.getOption(option);
        } catch (IOException e) {
            throw new SocketException(e.getMessage());
        }
    }
}
