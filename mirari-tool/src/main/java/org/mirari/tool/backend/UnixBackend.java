package org.mirari.tool.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.target.Target;

/**
 * The {@code --unix} target (the seed's unix-direct): the same app jar as {@code --socket}, with
 * {@code mirari-net} on its class path, run with Mirari's own stack on a tap device. The build is
 * the socket build (the runtime jars differ, so the fingerprint tells the two apart); the launch adds
 * {@code -Dmirari.net=tap:<name>}, the selector provider and native access for the tap's FFM calls.
 * {@link #tapPlan} describes the host side (tap, host address, DHCP server) as a value.
 */
public final class UnixBackend implements Backend {
    public static final String SELECTOR_PROVIDER = "org.mirari.net.nio.MirariSelectorProvider";
    private final SocketBackend socket = new SocketBackend();

    @Override
    public Target target() {
        return Target.UNIX;
    }

    @Override
    public BuildOutcome build(AppBuild app, EventSink events) {
        return socket.build(app, events);
    }

    @Override
    public boolean upToDate(AppBuild app) {
        return socket.upToDate(app);
    }

    @Override
    public Launch launch(AppBuild app, Map<String, String> bootParameters, RunOptions options) {
        validTapName(options.tap());
        var command = new ArrayList<String>();
        command.add(SocketBackend.javaExecutable(app).toString());
        command.addAll(app.jvmOptions());
        command.add("-Dmirari.kv.dir=" + app.outputs().kvDir());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dmirari.net=tap:" + options.tap());
        command.add("-Dmirari.mac=" + appMac(app.name()));
        command.add("-Djava.nio.channels.spi.SelectorProvider=" + SELECTOR_PROVIDER);
        command.add("-jar");
        command.add(app.outputs().jar(Target.UNIX).toString());
        bootParameters.forEach((k, v) -> command.add(k + "=" + v));
        // No AOT cache: one trained by a --socket run would not match these options.
        return new Launch(command, Map.of(), app.appDir(), Optional.empty());
    }

    /**
     * The host side for a run with effective boot parameters {@code boot} (the conf's, overridden by
     * {@code --set}): by default the host is the app's gateway (or 10.0.0.1) on the app's subnet.
     */
    public TapPlan tapPlan(AppBuild app, Map<String, String> boot, RunOptions options) {
        validTapName(options.tap());
        boolean dhcp = Boolean.parseBoolean(boot.getOrDefault("ip-use-dhcp", "false"));
        String host;
        int prefix;
        if (options.hostAddress().isPresent()) {
            var hp = options.hostAddress().get();
            int slash = hp.indexOf('/');
            host = slash < 0 ? hp : hp.substring(0, slash);
            prefix = slash < 0 ? 24 : parsePrefix(hp.substring(slash + 1), hp);
            ipv4(host, "--host-address " + hp);
        } else if (dhcp) {
            host = "10.0.0.1";
            prefix = 24;
        } else {
            prefix = prefixOf(boot.getOrDefault("ip-netmask", "255.255.255.0"));
            var gw = boot.getOrDefault("ip-gateway", "10.0.0.1");
            var addr = boot.getOrDefault("ip-address", "10.0.0.2");
            host = !gw.isBlank() && sameSubnet(gw, addr, prefix) ? gw : firstOtherHost(addr, prefix);
        }
        Optional<List<String>> range = Optional.empty();
        Optional<String> fixed = Optional.empty();
        if (dhcp) {
            long base = ipv4(host, "host address") & mask(prefix);
            long last = base | (~mask(prefix) & 0xffff_ffffL);
            long first = base + 1 == ipv4(host, "host address") ? base + 2 : base + 1;
            range = Optional.of(List.of(dotted(first), dotted(last - 1)));
            var wanted = boot.getOrDefault("ip-address", "10.0.0.2");
            long w = ipv4(wanted, "ip-address");
            if ((w & mask(prefix)) == base && w != ipv4(host, "host address") && w != base && w != last) fixed = Optional.of(wanted);
        }
        Optional<List<String>> responder = Optional.empty();
        var netJar = app.runtimeJars().stream().filter(j -> j.getFileName().toString().startsWith("mirari-net")).findFirst();
        if (dhcp && netJar.isPresent()) {
            responder = Optional.of(List.of(SocketBackend.javaExecutable(app).toString(), "-cp", netJar.get().toString(),
                    "org.mirari.net.dhcp.DhcpResponder", host + "/" + prefix, appMac(app.name()), fixed.orElse(range.get().get(0)), "3600"));
        }
        return new TapPlan(options.tap(), host, prefix, appMac(app.name()), range, fixed,
                app.outputs().dhcpLeases(), responder);
    }

    static void validTapName(String tap) {
        if (tap.isEmpty() || tap.length() > 15 || !tap.matches("[A-Za-z0-9_.-]+"))
            throw new BackendException("--tap \"" + tap + "\" is not a device name; use 1-15 letters, digits, '-', '_' or '.'");
    }

    /** A locally administered unicast MAC derived from the app's name: stable, so DHCP leases stick. */
    static String appMac(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("mirari-unix:" + name).getBytes(StandardCharsets.UTF_8));
            h[0] = (byte) ((h[0] & 0xfc) | 0x02);
            return HexFormat.ofDelimiter(":").formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int parsePrefix(String s, String whole) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 30) return p;
        } catch (NumberFormatException e) {
            // below
        }
        throw new BackendException("--host-address " + whole + " has no valid prefix; use e.g. 10.0.0.1/24");
    }

    static long ipv4(String dotted, String what) {
        var parts = dotted.split("\\.", -1);
        if (parts.length != 4) throw new BackendException(what + " \"" + dotted + "\" is not an IPv4 address; use e.g. 10.0.0.1/24");
        long v = 0;
        for (var p : parts) {
            int o;
            try {
                o = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                o = -1;
            }
            if (o < 0 || o > 255) throw new BackendException(what + " \"" + dotted + "\" is not an IPv4 address; use e.g. 10.0.0.1/24");
            v = v << 8 | o;
        }
        return v;
    }

    static String dotted(long v) {
        return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }

    static long mask(int prefix) { return prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL; }

    static int prefixOf(String netmask) { return Long.bitCount(ipv4(netmask, "ip-netmask")); }

    static boolean sameSubnet(String a, String b, int prefix) {
        return (ipv4(a, "ip-gateway") & mask(prefix)) == (ipv4(b, "ip-address") & mask(prefix));
    }

    /** The first host address of the app's subnet that is not the app's own. */
    static String firstOtherHost(String addr, int prefix) {
        long a = ipv4(addr, "ip-address");
        long first = (a & mask(prefix)) + 1;
        return dotted(first == a ? first + 1 : first);
    }
}
