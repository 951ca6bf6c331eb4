package org.mirari.net.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mirari.net.NetClock;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.TapDevice;
import org.mirari.net.device.TapOffload;
import org.mirari.net.dns.DnsStub;
import org.mirari.net.dns.MirariDns;
import org.mirari.net.nio.MirariNet;
import org.mirari.net.stack.DhcpClient;
import org.mirari.net.stack.DhcpLease;
import org.mirari.net.stack.Ipv4Config;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.StackDriver;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.net.NetInterface;
import org.mirari.runtime.net.Network;
import org.mirari.runtime.spi.NetworkProvider;

/**
 * {@code -Dmirari.net=tap:<name>}: Mirari's own stack on a Linux tap. The MAC is
 * {@code -Dmirari.mac} when given, else a random locally administered one. With DHCP it waits up to
 * {@code -Dmirari.dhcp.timeout} seconds (default 30) for a lease. {@code -Dmirari.tap.offload} asks
 * the tap for offloads ({@link TapOffload#parse}: {@code none}, {@code vnet}, {@code csum},
 * {@code tso4}; default {@value #DEFAULT_OFFLOAD}); the tap takes what the kernel grants.
 * {@code -Dmirari.tap.transient=true} clears the tap's persistent flag once it is open, so the kernel
 * removes the tap when the app ends, however it ends.
 */
public final class TapNetworkProvider implements NetworkProvider {
    /** What pays on a host-local tap today (bench/udp-bulk); TCP may want {@code tso4} (bench/run tcp-bulk). */
    public static final String DEFAULT_OFFLOAD = "none";

    @Override
    public String scheme() {
        return "tap";
    }

    @Override
    public Network open(String target, BootParameters params) throws IOException, InterruptedException {
        return open(target, params, null, null);
    }

    @Override
    public Network open(String target, BootParameters params, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String name = target.isBlank() ? "tap0" : target;
        var mac = Optional.ofNullable(System.getProperty("mirari.mac"))
                .map(MacAddress::parse)
                .orElseGet(() -> MacAddress.randomLocal(new SecureRandom()));
        TapOffload offload;
        try {
            offload = TapOffload.parse(System.getProperty("mirari.tap.offload", DEFAULT_OFFLOAD));
        } catch (IllegalArgumentException e) {
            throw new IOException("-Dmirari.tap.offload: " + e.getMessage(), e);
        }
        var device = TapDevice.open(name, mac, offload);
        // A tap the tool created for this run goes with the app, even when the app or the tool is killed.
        if (Boolean.getBoolean("mirari.tap.transient")) {
            try {
                device.makeTransient();
            } catch (IOException e) {
                device.close();
                throw e;
            }
        }
        long timeout = Long.getLong("mirari.dhcp.timeout", 30);
        return bringUp(name, device, params, NetClock.SYSTEM, Duration.ofSeconds(timeout), err);
    }

    /** Configures a stack on {@code device} and starts its driver; used by {@link #open} and by tests on other devices. */
    public static StackNetwork bringUp(
            String name, NetDevice device, BootParameters params, NetClock clock, Duration dhcpTimeout, PrintStream err)
            throws IOException, InterruptedException {
        var stack = new NetStack(device, new SecureRandom());
        // RFC 6298's RTO floor is a tunable (200 ms by default, as Linux); -Dmirari.tcp.min-rto-ms changes it
        var minRto = Long.getLong("mirari.tcp.min-rto-ms");
        if (minRto != null && minRto > 0) stack.setTcpConfig(stack.tcpConfig().withMinRto(minRto * 1_000_000L));
        // SACK blocks as a receiver (RFC 2018), on by default as on Linux; -Dmirari.tcp.sack=false turns them off
        if ("false".equals(System.getProperty("mirari.tcp.sack")))
            stack.setTcpConfig(stack.tcpConfig().withSack(false));
        StackDriver driver = null;
        try {
            if (params.ipUseDhcp()) {
                var up = new CountDownLatch(1);
                stack.addConfigListener(c -> {
                    if (c.isPresent()) up.countDown();
                });
                stack.startDhcp(clock.nanos());
                driver = new StackDriver(stack, clock, err).start();
                if (!up.await(dhcpTimeout.toMillis(), TimeUnit.MILLISECONDS))
                    throw new IOException("no DHCP lease on " + name + " within " + dhcpTimeout.toSeconds()
                            + " s; check that a DHCP server answers on the tap's host side (mirari run --unix starts one),"
                            + " or set ip-use-dhcp=false and a static ip-address");
            } else {
                var gw = params.ipGateway().map(Ipv4Address::of);
                var cfg = new Ipv4Config(Ipv4Address.of(params.ipAddress()), Ipv4Address.of(params.ipNetmask()), gw);
                stack.configure(cfg, clock.nanos());
                driver = new StackDriver(stack, clock, err).start();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (driver != null) driver.close();
            stack.close();
            device.close();
            throw e;
        }
        MirariNet.install(stack, clock);
        // When the JVM's channels are on the stack (--unix), put plain Socket/ServerSocket there too,
        // so code written against java.net.Socket or HttpURLConnection runs unchanged.
        if (java.nio.channels.spi.SelectorProvider.provider() instanceof org.mirari.net.nio.MirariSelectorProvider
                && !"false".equals(System.getProperty("mirari.net.sockets"))) {
            MirariNet.installSocketFactories();
        }
        // Names go to the dns key's server, else to those of the current DHCP lease (option 6).
        var fixed = params.dns().map(a -> List.of(Ipv4Address.of(a)));
        Supplier<List<Ipv4Address>> servers = fixed.isPresent()
                ? fixed::get
                : () -> stack.dhcp()
                        .flatMap(DhcpClient::lease)
                        .map(DhcpLease::dns)
                        .orElse(List.of());
        var dns = new DnsStub(stack, clock, servers, new SecureRandom(), DnsStub.Settings.DEFAULT);
        MirariDns.install(dns);
        return new StackNetwork(name, device, stack, driver, dns);
    }

    /** The network handed to a {@code main-ip} app; closing it stops the stack and releases the tap. */
    public static final class StackNetwork implements Network, AutoCloseable {
        private final String name;
        private final NetDevice device;
        private final NetStack stack;
        private final StackDriver driver;
        private final DnsStub dns;

        StackNetwork(String name, NetDevice device, NetStack stack, StackDriver driver, DnsStub dns) {
            this.dns = dns;
            this.name = name;
            this.device = device;
            this.stack = stack;
            this.driver = driver;
        }

        public NetStack stack() {
            return stack;
        }

        @Override
        public NetInterface iface() {
            var c = stack.config().orElseThrow(() -> new IllegalStateException(name + " has lost its DHCP lease"));
            return new NetInterface(
                    name,
                    stack.mac().toString(),
                    c.address().toInet(),
                    c.netmask().toInet(),
                    c.gateway().map(Ipv4Address::toInet));
        }

        @Override
        public List<NetInterface> interfaces() {
            return List.of(iface());
        }

        @Override
        public void close() throws IOException {
            MirariDns.uninstall(dns);
            MirariNet.uninstall(stack);
            driver.close();
            stack.close();
            device.close();
        }
    }
}
