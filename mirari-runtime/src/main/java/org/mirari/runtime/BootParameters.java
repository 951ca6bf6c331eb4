package org.mirari.runtime;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mirari.runtime.internal.text.Ascii;

/**
 * The boot-time parameters of an app: read when it starts, so one build runs with other values
 * ({@code mirari run --set http-port=9090}) without a rebuild. Each comes from the process
 * arguments ({@code key=value}), else from the conf's defaults compiled into {@link AppSpec},
 * else from the built-in default below.
 *
 * @param httpPort     {@code http-port}, 1-65535 (default {@value #DEFAULT_HTTP_PORT})
 * @param httpAddress  {@code http-address}: an IPv4 address or {@code *} for every address (default {@code *})
 * @param ipUseDhcp    {@code ip-use-dhcp}: configure the interface by DHCP (default false)
 * @param ipAddress    {@code ip-address} (default 10.0.0.2)
 * @param ipNetmask    {@code ip-netmask} (default 255.255.255.0)
 * @param ipGateway    {@code ip-gateway} (default 10.0.0.1; an empty value means none)
 * @param dns          {@code dns}: the DNS server names are resolved through on Mirari's own stack
 *                     ({@code --unix}); empty (the default) means the one from the DHCP lease, if any
 * @param https        {@code https-port}, {@code tls-certificate}, {@code tls-key} and
 *                     {@code http-redirect}: HTTPS beside plain HTTP; empty (the default) without
 *                     {@code https-port}
 * @param healthPort   {@code health-port}: for a {@code main-ip} or {@code main-noip} app, a TCP port
 *                     that the runtime opens once the app is ready (its readiness line is out) and
 *                     that accepts and closes connections: what a Kubernetes TCP probe can see of
 *                     a readiness line (a kubelet reads no console). Empty (the default) opens none
 */
public record BootParameters(
        int httpPort,
        String httpAddress,
        boolean ipUseDhcp,
        Inet4Address ipAddress,
        Inet4Address ipNetmask,
        Optional<Inet4Address> ipGateway,
        Optional<Inet4Address> dns,
        Optional<Https> https,
        java.util.OptionalInt healthPort) {

    /**
     * HTTPS, when {@code https-port} is set.
     *
     * @param port        {@code https-port}, 1-65535, not {@code http-port}
     * @param certificate {@code tls-certificate}: a PEM file's path, or {@code env:NAME} for PEM text
     *                    in the environment variable {@code NAME}; empty means a self-signed one made at boot
     * @param key         {@code tls-key}: the same for its PKCS #8 private key (empty exactly when the certificate is)
     * @param redirect    {@code http-redirect: https}: plain HTTP answers every request with a 308 to HTTPS
     */
    public record Https(int port, String certificate, String key, boolean redirect) {
        public Https {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * The {@code http-port} when neither the arguments nor the conf give one: the one default the
     * tool and the runtime share (8080, not the original's 80, which needs root on a host).
     */
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Every key this record reads. */
    public static final Set<String> KEYS = Set.of(
            "http-port",
            "http-address",
            "ip-use-dhcp",
            "ip-address",
            "ip-netmask",
            "ip-gateway",
            "dns",
            "https-port",
            "tls-certificate",
            "tls-key",
            "http-redirect",
            "health-port");

    public BootParameters {
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(ipAddress, "ipAddress");
        Objects.requireNonNull(ipNetmask, "ipNetmask");
        Objects.requireNonNull(ipGateway, "ipGateway");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(https, "https");
        Objects.requireNonNull(healthPort, "healthPort");
    }

    /** True when {@link #httpAddress()} is {@code *}: listen on every address. */
    public boolean httpAnyAddress() {
        return httpAddress.equals("*");
    }

    /**
     * Reads {@code args} ({@code key=value} each) over {@code spec}'s defaults.
     *
     * @throws IllegalArgumentException for an unknown key, an argument without {@code =}, or a
     *         bad value; the message says what is wrong and what to use, e.g.
     *         {@code boot parameter http-port "8o" is not a number; use 1-65535}
     */
    public static BootParameters parse(String[] args, AppSpec spec) {
        return parse(args, spec, Map.of());
    }

    /**
     * Reads {@code args} over the environment's {@code MIRARI_*} variables over {@code spec}'s
     * defaults: {@code MIRARI_HTTP_PORT=9090} is {@code http-port=9090} (the key upper-cased, each
     * {@code -} an {@code _}), as a container's environment or a Kubernetes ConfigMap sets it.
     * Variables whose name is no key are ignored (the environment is shared with other programs).
     *
     * @param env the environment to read, e.g. {@code System.getenv()}
     */
    public static BootParameters parse(String[] args, AppSpec spec, Map<String, String> env) {
        var values = new LinkedHashMap<String, String>();
        values.put("http-port", Integer.toString(DEFAULT_HTTP_PORT));
        values.put("http-address", "*");
        values.put("ip-use-dhcp", "false");
        values.put("ip-address", "10.0.0.2");
        values.put("ip-netmask", "255.255.255.0");
        values.put("ip-gateway", "10.0.0.1");
        values.put("dns", "");
        values.put("https-port", "");
        values.put("tls-certificate", "");
        values.put("tls-key", "");
        values.put("http-redirect", "");
        values.put("health-port", "");
        spec.defaults().forEach((k, v) -> {
            if (KEYS.contains(k)) {
                values.put(k, v);
            }
        });
        if (!env.isEmpty()) { // spares a VM's boot (no environment given) twelve names to build
            for (String key : KEYS) {
                String v = env.get(envName(key));
                if (v != null) values.put(key, v);
            }
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "boot parameter \"" + arg + "\" is not key=value; use e.g. http-port=8080");
            }
            String key = arg.substring(0, eq).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown boot parameter " + key + "; use one of "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
            values.put(key, arg.substring(eq + 1).trim());
        }
        return from(values);
    }

    private static int port(String key, String port) {
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "boot parameter " + key + " \"" + port + "\" is not a number; use 1-65535");
        }
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("boot parameter " + key + " " + port + " is out of range; use 1-65535");
        }
        return n;
    }

    private static Optional<Https> https(Map<String, String> v, int httpPort) {
        String cert = v.get("tls-certificate");
        String key = v.get("tls-key");
        String redirect = v.get("http-redirect");
        if (!redirect.isEmpty() && !redirect.equals("https")) {
            throw new IllegalArgumentException("boot parameter http-redirect \"" + redirect
                    + "\" is not https; use http-redirect=https, or leave it empty for none");
        }
        if (v.get("https-port").isEmpty()) {
            if (!cert.isEmpty() || !key.isEmpty() || !redirect.isEmpty()) {
                String which = !cert.isEmpty() ? "tls-certificate" : !key.isEmpty() ? "tls-key" : "http-redirect";
                throw new IllegalArgumentException(
                        "boot parameter " + which + " needs https-port; set one, e.g. https-port=8443");
            }
            return Optional.empty();
        }
        int port = port("https-port", v.get("https-port"));
        if (port == httpPort) {
            throw new IllegalArgumentException("boot parameter https-port " + port
                    + " is http-port too; use another, e.g. https-port=" + (port == 8443 ? 9443 : 8443));
        }
        if (cert.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException("boot parameter " + (cert.isEmpty() ? "tls-key" : "tls-certificate")
                    + " is given without " + (cert.isEmpty() ? "tls-certificate" : "tls-key")
                    + "; give both, or neither for a self-signed certificate");
        }
        return Optional.of(new Https(port, cert, key, !redirect.isEmpty()));
    }

    /** The environment variable of a key: {@code http-port} is {@code MIRARI_HTTP_PORT}. */
    public static String envName(String key) {
        return "MIRARI_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static BootParameters from(Map<String, String> v) {
        int httpPort = port("http-port", v.get("http-port"));
        String address = v.get("http-address");
        if (!address.equals("*")) {
            ipv4("http-address", address);
        }
        String dhcp = v.get("ip-use-dhcp");
        if (!dhcp.equals("true") && !dhcp.equals("false")) {
            throw new IllegalArgumentException(
                    "boot parameter ip-use-dhcp \"" + dhcp + "\" is not a boolean; use true or false");
        }
        Inet4Address mask = ipv4("ip-netmask", v.get("ip-netmask"));
        if (!isNetmask(mask)) {
            throw new IllegalArgumentException("boot parameter ip-netmask " + v.get("ip-netmask")
                    + " is not a netmask; use contiguous ones such as 255.255.255.0");
        }
        String gw = v.get("ip-gateway");
        return new BootParameters(
                httpPort,
                address,
                Boolean.parseBoolean(dhcp),
                ipv4("ip-address", v.get("ip-address")),
                mask,
                gw.isEmpty() ? Optional.empty() : Optional.of(ipv4("ip-gateway", gw)),
                v.get("dns").isEmpty() ? Optional.empty() : Optional.of(ipv4("dns", v.get("dns"))),
                https(v, httpPort),
                v.get("health-port").isEmpty()
                        ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(port("health-port", v.get("health-port"))));
    }

    private static Inet4Address ipv4(String key, String text) {
        String[] parts = text.split("\\.", -1);
        boolean ok = parts.length == 4;
        byte[] bytes = new byte[4];
        for (int i = 0; ok && i < 4; i++) {
            ok = Ascii.digits(parts[i], 3);
            if (ok) {
                int n = Integer.parseInt(parts[i]);
                ok = n <= 255;
                bytes[i] = (byte) n;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("boot parameter " + key + " \"" + text
                    + "\" is not an IPv4 address; use dotted quads such as 10.0.0.2");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid address
        }
    }

    private static boolean isNetmask(Inet4Address mask) {
        byte[] b = mask.getAddress();
        int m = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return (~m & (~m + 1)) == 0; // the inverted mask is 0...01...1
    }
}
