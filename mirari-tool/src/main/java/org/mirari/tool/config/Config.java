package org.mirari.tool.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and validated app config. Every value keeps its {@link Position}; keys that were not
 * given are empty and their defaults are applied by the accessors named {@code effective...}.
 *
 * @param file     the conf file (absolute)
 * @param name     the app's name: the {@code name} key, else the conf file's base name
 * @param dns      the {@code dns} key: the DNS server an app on Mirari's own stack ({@code --unix}) asks; empty: the DHCP lease's
 * @param https    the HTTPS keys ({@code https-port}, {@code tls-certificate}, {@code tls-key},
 *                 {@code http-redirect}); all empty without HTTPS
 * @param warnings what the user should know but that does not stop configuration (unknown keys...)
 */
public record Config(
        Path file,
        Located<String> name,
        EntryPoint main,
        Optional<Located<Boolean>> ipUseDhcp,
        Optional<Located<Ipv4>> ipAddress,
        Optional<Located<Ipv4>> ipNetmask,
        Optional<Located<Ipv4>> ipGateway,
        Optional<Located<Ipv4>> dns,
        Optional<Located<Integer>> httpPort,
        Optional<Located<String>> httpAddress,
        List<Store> stores,
        List<Located<Coordinate>> packages,
        List<Located<String>> depends,
        Optional<CompilerSpec> compiler,
        List<Located<String>> jvmOptions,
        Optional<Located<Integer>> vmMemoryMib,
        Optional<Located<Path>> vmKernel,
        Optional<Located<SnapshotMode>> snapshot,
        List<XlParam> xl,
        Https https,
        List<String> warnings) {

    /**
     * HTTPS beside plain HTTP (boot-time keys).
     *
     * @param port        {@code https-port}
     * @param certificate {@code tls-certificate}: an absolute path, or {@code env:NAME}
     * @param key         {@code tls-key}: the same
     * @param redirect    {@code http-redirect: https}
     */
    public record Https(
            Optional<Located<Integer>> port,
            Optional<Located<String>> certificate,
            Optional<Located<String>> key,
            Optional<Located<String>> redirect) {
        public static final Https NONE =
                new Https(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        /** True when HTTPS is on and no certificate is given: configure makes a self-signed one. */
        public boolean selfSigned() {
            return port.isPresent() && certificate.isEmpty();
        }
    }

    /**
     * Where configure keeps the self-signed certificate and key of an app whose conf asks for
     * HTTPS without one: {@code .mirari/tls/<name>.crt} and {@code <name>.key} (PEM).
     */
    public List<Path> selfSignedFiles() {
        Path tls = dir().toAbsolutePath().normalize().resolve(".mirari").resolve("tls");
        return List.of(tls.resolve(name.value() + ".crt"), tls.resolve(name.value() + ".key"));
    }

    public static final Ipv4 DEFAULT_IP_ADDRESS = new Ipv4(10 << 24 | 2);
    public static final Ipv4 DEFAULT_IP_NETMASK = new Ipv4(0xffffff00);
    public static final Ipv4 DEFAULT_IP_GATEWAY = new Ipv4(10 << 24 | 1);
    public static final int DEFAULT_HTTP_PORT = org.mirari.runtime.BootParameters.DEFAULT_HTTP_PORT;
    public static final String DEFAULT_HTTP_ADDRESS = "*";
    /**
     * The measured need, with a margin: with its runtime and app on read-only disks (uncompressed
     * squashfs), hello answers in 96 MiB and not in 88 ({@code bench/run vm-memory}, TCG), and the
     * seed, with its KV stores and HTTPS, in 120 and not in 112. The busybox httpd VM on the same kernel
     * needs 88: the kernel sets the floor. See the README's measurements.
     */
    public static final int DEFAULT_VM_MEMORY_MIB = 128;

    public Config {
        stores = List.copyOf(stores);
        packages = List.copyOf(packages);
        depends = List.copyOf(depends);
        jvmOptions = List.copyOf(jvmOptions);
        xl = List.copyOf(xl);
        warnings = List.copyOf(warnings);
    }

    /** The directory holding the conf; relative paths in the conf are relative to it. */
    public Path dir() {
        return file.getParent();
    }

    /** The conf file's name ({@code app.conf}). */
    public String fileName() {
        return file.getFileName().toString();
    }

    public boolean effectiveIpUseDhcp() {
        return ipUseDhcp.map(Located::value).orElse(false);
    }

    public int effectiveHttpPort() {
        return httpPort.map(Located::value).orElse(DEFAULT_HTTP_PORT);
    }

    public int effectiveVmMemoryMib() {
        return vmMemoryMib.map(Located::value).orElse(DEFAULT_VM_MEMORY_MIB);
    }

    /**
     * The boot-time parameters with the conf's values or the defaults, in a fixed order: what the
     * generated {@code Main} compiles into its {@code AppSpec} and what {@code run --set} overrides
     * without a rebuild.
     */
    public Map<String, String> bootDefaults() {
        var m = new LinkedHashMap<String, String>();
        m.put("http-address", httpAddress.map(Located::value).orElse(DEFAULT_HTTP_ADDRESS));
        m.put("http-port", Integer.toString(effectiveHttpPort()));
        m.put(
                "ip-address",
                ipAddress.map(Located::value).orElse(DEFAULT_IP_ADDRESS).toString());
        m.put(
                "ip-gateway",
                ipGateway.map(Located::value).orElse(DEFAULT_IP_GATEWAY).toString());
        m.put(
                "ip-netmask",
                ipNetmask.map(Located::value).orElse(DEFAULT_IP_NETMASK).toString());
        m.put("ip-use-dhcp", Boolean.toString(effectiveIpUseDhcp()));
        // only when set: its default (the DHCP lease's server) is the runtime's, and older goldens stay as they are
        dns.ifPresent(d -> m.put("dns", d.value().toString()));
        // HTTPS keys only when HTTPS is on, so that the Main of an app without it stays as it was
        https.port().ifPresent(p -> {
            m.put("https-port", Integer.toString(p.value()));
            m.put(
                    "tls-certificate",
                    https.certificate()
                            .map(Located::value)
                            .orElse(selfSignedFiles().get(0).toString()));
            m.put(
                    "tls-key",
                    https.key()
                            .map(Located::value)
                            .orElse(selfSignedFiles().get(1).toString()));
            https.redirect().ifPresent(r -> m.put("http-redirect", r.value()));
        });
        return m;
    }

    /** The keys that are boot-time parameters (changeable at run time without a rebuild). */
    public static final List<String> BOOT_KEYS = List.of(
            "dns",
            "http-address",
            "http-port",
            "ip-address",
            "ip-gateway",
            "ip-netmask",
            "ip-use-dhcp",
            "https-port",
            "tls-certificate",
            "tls-key",
            "http-redirect");
}
