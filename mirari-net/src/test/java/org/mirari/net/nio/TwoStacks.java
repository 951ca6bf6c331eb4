package org.mirari.net.nio;

import java.util.Optional;
import java.util.Random;
import org.mirari.net.Await;
import org.mirari.net.NetClock;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.stack.Ipv4Config;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.StackDriver;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/** Two stacks (10.0.0.2 and 10.0.0.3) on a virtual switch, each with its driver on the real clock and a provider. */
final class TwoStacks implements AutoCloseable {
    final NetStack a, b;
    final StackDriver da, db;
    final MirariSelectorProvider pa, pb;

    /** Rung whenever either stack's driver has handled all it had and waits for more. */
    final Await.Signal settled = new Await.Signal();

    TwoStacks(int portQueue) throws Exception {
        var sw = new VirtualSwitch(1500, portQueue);
        a = new NetStack(Await.ringingOnIdle(sw.port(MacAddress.parse("02:00:00:00:00:0a")), settled), new Random(1));
        b = new NetStack(Await.ringingOnIdle(sw.port(MacAddress.parse("02:00:00:00:00:0b")), settled), new Random(2));
        a.configure(new Ipv4Config(Ipv4Address.parse("10.0.0.2"), Ipv4Address.netmask(24), Optional.empty()), 0);
        b.configure(new Ipv4Config(Ipv4Address.parse("10.0.0.3"), Ipv4Address.netmask(24), Optional.empty()), 0);
        da = new StackDriver(a, NetClock.SYSTEM, System.err).start();
        db = new StackDriver(b, NetClock.SYSTEM, System.err).start();
        pa = new MirariSelectorProvider(a, NetClock.SYSTEM);
        pb = new MirariSelectorProvider(b, NetClock.SYSTEM);
    }

    @Override
    public void close() {
        da.close();
        db.close();
        a.close();
        b.close();
    }
}
