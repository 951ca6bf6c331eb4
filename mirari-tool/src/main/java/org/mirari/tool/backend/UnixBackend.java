package org.mirari.tool.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Ipv4;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * The {@code --unix} target (the seed's unix-direct): the same app jar as {@code --socket}, with
 * {@code mirari-net} on its class path, run with Mirari's own stack on a tap device. The build is
 * the socket build (the runtime jars differ, so the fingerprint tells the two apart); the launch adds
 * {@code -Dmirari.net=tap:<name>}, the selector provider and native access for the tap's FFM calls.
 * {@link #tapPlan} describes the host side (tap, host address, DHCP server) as a value, which the
 * run spec carries ({@link RunSpec.HostPrepared}).
 */
public final class UnixBackend implements Backend {
    public static final String SELECTOR_PROVIDER = "org.mirari.net.nio.MirariSelectorProvider";

    @Override
    public Target target() {
        return Target.UNIX;
    }

    @Override
    public Artifact artifact() {
        return new Artifact.AppJar();
    }

    /** {@code mirari-net} too: the app runs on Mirari's own stack. */
    @Override
    public List<String> runtimeModules() {
        return List.of("mirari-runtime", "mirari-net");
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        return SocketBackend.outputs(app);
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
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
        boot.overrides().forEach((k, v) -> command.add(k + "=" + v));
        // No AOT cache: one trained by a --socket run would not match these options.
        var launch = new Launch(command, Map.of(), app.appDir(), Optional.empty());
        // A main-noip app has no network: it needs no tap (and so no root).
        if (app.config().main().kind() == EntryPoint.Kind.NOIP)
            return new RunSpec.Process(launch, Optional.empty(), false);
        return new RunSpec.HostPrepared(launch, tapPlan(app, boot, options), SocketBackend.listen(app, boot));
    }

    /**
     * The host side for a run with boot parameters {@code boot}: by default the host is the app's
     * gateway (or, when that is off the app's subnet, its first other address); with DHCP, 10.0.0.1/24.
     */
    public TapPlan tapPlan(AppBuild app, Boot boot, RunOptions options) {
        validTapName(options.tap());
        boolean dhcp = boot.ipUseDhcp();
        long host;
        int prefix;
        if (options.hostAddress().isPresent()) {
            var hp = options.hostAddress().get();
            int slash = hp.indexOf('/');
            prefix = slash < 0 ? 24 : parsePrefix(hp.substring(slash + 1), hp);
            host = ipv4(slash < 0 ? hp : hp.substring(0, slash), "--host-address " + hp);
        } else if (dhcp) {
            host = ipv4("10.0.0.1", "host address");
            prefix = 24;
        } else {
            prefix = boot.prefix();
            long gw = bits(boot.ipGateway());
            long addr = bits(boot.ipAddress());
            host = (gw & mask(prefix)) == (addr & mask(prefix)) ? gw : firstOtherHost(addr, prefix);
        }
        Optional<List<String>> range = Optional.empty();
        Optional<String> fixed = Optional.empty();
        if (dhcp) {
            long base = host & mask(prefix);
            long last = base | (~mask(prefix) & 0xffff_ffffL);
            long first = base + 1 == host ? base + 2 : base + 1;
            range = Optional.of(List.of(dotted(first), dotted(last - 1)));
            long w = bits(boot.ipAddress());
            if ((w & mask(prefix)) == base && w != host && w != base && w != last)
                fixed = Optional.of(boot.ipAddress().toString());
        }
        Optional<List<String>> responder = Optional.empty();
        var netJar = app.runtimeJars().stream()
                .filter(j -> j.getFileName().toString().startsWith("mirari-net"))
                .findFirst();
        if (dhcp && netJar.isPresent()) {
            responder = Optional.of(List.of(
                    SocketBackend.javaExecutable(app).toString(),
                    "-cp",
                    netJar.get().toString(),
                    "org.mirari.net.dhcp.DhcpResponder",
                    dotted(host) + "/" + prefix,
                    appMac(app.name()),
                    fixed.orElse(range.get().get(0)),
                    "3600"));
        }
        return new TapPlan(
                options.tap(),
                dotted(host),
                prefix,
                appMac(app.name()),
                range,
                fixed,
                app.outputs().dhcpLeases(),
                responder);
    }

    static void validTapName(String tap) {
        if (tap.isEmpty() || tap.length() > 15 || !tap.matches("[A-Za-z0-9_.-]+"))
            throw new BackendException(
                    "--tap \"" + tap + "\" is not a device name; use 1-15 letters, digits, '-', '_' or '.'");
    }

    /** A locally administered unicast MAC derived from the app's name: stable, so DHCP leases stick. */
    static String appMac(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("mirari-unix:" + name).getBytes(StandardCharsets.UTF_8));
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

    /** A user's dotted quad ({@code --host-address}), or exit 5 saying what to give. */
    static long ipv4(String dotted, String what) {
        return bits(Ipv4.parse(dotted)
                .orElseThrow(() -> new BackendException(
                        what + " \"" + dotted + "\" is not an IPv4 address; use e.g. 10.0.0.1/24")));
    }

    private static long bits(Ipv4 a) {
        return a.bits() & 0xffff_ffffL;
    }

    static String dotted(long v) {
        return new Ipv4((int) v).toString();
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
    }

    /** The first host address of the app's subnet that is not the app's own. */
    static long firstOtherHost(long addr, int prefix) {
        long first = (addr & mask(prefix)) + 1;
        return first == addr ? first + 1 : first;
    }
}
