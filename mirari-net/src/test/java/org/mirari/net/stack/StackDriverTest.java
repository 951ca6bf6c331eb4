package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.NetClock;
import org.mirari.net.device.NetDevice;
import org.mirari.net.wire.MacAddress;

class StackDriverTest {
    /** A device whose receive fails, as a tap whose fd went away. */
    static final class Broken implements NetDevice {
        @Override
        public MacAddress mac() {
            return MacAddress.parse("02:00:00:00:00:01");
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public int receive(ByteBuffer dst) throws IOException {
            throw new IOException("read failed: EBADF");
        }

        @Override
        public void send(ByteBuffer frame) {}

        @Override
        public void await(long timeoutNanos) {}

        @Override
        public void wakeup() {}

        @Override
        public void close() {}
    }

    @Test
    void aFailureIsReportedOnTheStreamItWasGivenNotOnSystemErr() throws Exception {
        var given = new ByteArrayOutputStream();
        var systemErr = new ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new PrintStream(systemErr, true));
        try {
            var stack = new NetStack(new Broken(), new Random(1));
            var d = new StackDriver(stack, NetClock.SYSTEM, new PrintStream(given, true)).start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (d.failure() == null && System.nanoTime() < deadline) Thread.onSpinWait();
            d.close();
            assertThat(d.failure()).hasMessage("read failed: EBADF");
        } finally {
            System.setErr(old);
        }
        assertThat(given.toString())
                .startsWith(
                        "mirari-net: the network on 02:00:00:00:00:01 stopped: java.io.IOException: read failed: EBADF");
        assertThat(systemErr.toString()).isEmpty();
    }
}
