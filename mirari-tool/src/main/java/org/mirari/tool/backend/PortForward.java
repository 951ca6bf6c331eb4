package org.mirari.tool.backend;

import java.util.regex.Pattern;
import org.mirari.tool.error.ConfigException;

/**
 * A TCP port forward from the host into a VM with user networking ({@code -p [ADDR:]HOST:GUEST}).
 * A host port of 0 means "any free port", chosen when the VM starts.
 */
public record PortForward(String hostAddress, int hostPort, int guestPort) {
    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,3}(?:\\.\\d{1,3}){3}):)?(\\d{1,5}):(\\d{1,5})");

    public static PortForward parse(String text) {
        var m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new ConfigException("-p " + text
                    + ": not a port forward; use HOST:GUEST (8080:80) or ADDRESS:HOST:GUEST (0.0.0.0:8080:80)");
        }
        int host = Integer.parseInt(m.group(2));
        int guest = Integer.parseInt(m.group(3));
        if (host > 65535 || guest < 1 || guest > 65535) {
            throw new ConfigException("-p " + text + ": ports are 1-65535 (0 as the host port picks a free one)");
        }
        return new PortForward(m.group(1) == null ? "127.0.0.1" : m.group(1), host, guest);
    }
}
