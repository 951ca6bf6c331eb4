package org.mirari.runtime.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A readiness line an app prints on its console, one per boot phase (the runtime writes it, the
 * {@code mirari} tool reads it from the app's output or a VM's console):
 * {@code mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=530} or
 * {@code mirari-ready: network address=10.0.0.2 netmask=255.255.255.0 gateway=10.0.0.1 uptime_ms=412}.
 *
 * @param phase   {@code network}, {@code listening}, ...
 * @param fields  the {@code key=value} words after the phase, in order
 */
public record ReadyLine(String phase, Map<String, String> fields) {
    public static final String PREFIX = "mirari-ready: ";

    public ReadyLine {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The line parsed, if it is a readiness line (leading and trailing blanks and a CR are ignored). */
    public static Optional<ReadyLine> parse(String line) {
        var s = line.strip();
        if (!s.startsWith(PREFIX)) return Optional.empty();
        var words = s.substring(PREFIX.length()).strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty() || words[0].contains("=")) return Optional.empty();
        var fields = new LinkedHashMap<String, String>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq > 0) fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return Optional.of(new ReadyLine(words[0], fields));
    }

    /** The line as the app prints it: {@code mirari-ready: <phase> k=v...}. */
    public String line() {
        var b = new StringBuilder(PREFIX).append(phase);
        fields.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    /** What a person wants to see: the URL when listening, the address when the network is up. */
    public String detail() {
        // VMs add the guest clock (boot_ms, from /proc/uptime): the boot time as the guest saw it.
        String guest = fields.containsKey("boot_ms") && fields.get("boot_ms").matches("\\d+")
                ? String.format(
                        java.util.Locale.ROOT, " (guest clock %.2f s)", Long.parseLong(fields.get("boot_ms")) / 1000.0)
                : "";
        return baseDetail() + guest;
    }

    private String baseDetail() {
        return switch (phase) {
            case "listening" ->
                fields.getOrDefault("url", "") + (fields.containsKey("https") ? " " + fields.get("https") : "");
            case "network" ->
                fields.containsKey("address")
                        ? fields.get("address")
                                + (fields.containsKey("netmask") ? " netmask " + fields.get("netmask") : "")
                                + (fields.containsKey("gateway") ? " gateway " + fields.get("gateway") : "")
                        : "";
            default ->
                String.join(
                        " ",
                        fields.entrySet().stream()
                                .filter(e -> !e.getKey().equals("uptime_ms")
                                        && !e.getKey().equals("boot_ms"))
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .toList());
        };
    }
}
