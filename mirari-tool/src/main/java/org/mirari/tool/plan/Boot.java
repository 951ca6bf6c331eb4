package org.mirari.tool.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.Ipv4;

/**
 * The boot-time parameters of one run, typed: the conf's values overridden by {@code --set}, parsed
 * and validated once by the conf's parser, plus the overrides as given (they reach the app as
 * {@code key=value} arguments, so one build runs with other values without a rebuild).
 *
 * @param overrides   the boot-time {@code --set}s, in order, as the app receives them
 * @param all         every boot-time parameter as text, in {@link Config#BOOT_KEYS} order (what a
 *                    VM's kernel command line carries)
 * @param httpAddress {@code http-address}: an IPv4 address or {@code *} for every address
 * @param httpPort    {@code http-port}
 * @param ipAddress   {@code ip-address}
 * @param ipGateway   {@code ip-gateway}
 * @param ipNetmask   {@code ip-netmask}
 * @param ipUseDhcp   {@code ip-use-dhcp}
 */
public record Boot(
        Map<String, String> overrides,
        Map<String, String> all,
        String httpAddress,
        int httpPort,
        Ipv4 ipAddress,
        Ipv4 ipGateway,
        Ipv4 ipNetmask,
        boolean ipUseDhcp) {
    public Boot {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        all = Collections.unmodifiableMap(new LinkedHashMap<>(all));
    }

    /**
     * @param effective the conf parsed with every {@code --set}, boot-time ones included
     * @param overrides the boot-time {@code --set}s
     */
    public static Boot of(Config effective, Map<String, String> overrides) {
        return new Boot(
                overrides,
                effective.bootDefaults(),
                effective.httpAddress().map(a -> a.value()).orElse(Config.DEFAULT_HTTP_ADDRESS),
                effective.effectiveHttpPort(),
                effective.ipAddress().map(a -> a.value()).orElse(Config.DEFAULT_IP_ADDRESS),
                effective.ipGateway().map(a -> a.value()).orElse(Config.DEFAULT_IP_GATEWAY),
                effective.ipNetmask().map(a -> a.value()).orElse(Config.DEFAULT_IP_NETMASK),
                effective.effectiveIpUseDhcp());
    }

    /** The subnet's prefix length. */
    public int prefix() {
        return ipNetmask.prefixLength();
    }
}
