package org.mirari.runtime.internal.boot;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * The default IPv4 route of Linux's routing table, {@code /proc/net/route}: a header line, then
 * one line a route of whitespace-separated fields, the device first, then the destination and the
 * gateway as 8 hex digits of the address in the kernel's (little-endian) byte order. The default
 * route is the first line whose destination is {@code 00000000} and whose gateway is not. Read by
 * hand rather than with {@code split("\\s+")}: the regular expression's first run cost tens of
 * milliseconds of a boot under an emulator (TCG).
 *
 * @param device  the interface the route leaves by ({@code eth0})
 * @param gateway the next hop
 */
record DefaultRoute(String device, Inet4Address gateway) {
    /** The default route of this host, if it has one (none where there is no {@code /proc/net/route}). */
    static Optional<DefaultRoute> read() {
        return parse(ProcFiles.text("/proc/net/route")); // "" where there is none: no route
    }

    /**
     * The default route in the text of a routing table. A default route whose gateway is not hex
     * makes the table unreadable: none is reported rather than a later, less preferred one.
     */
    static Optional<DefaultRoute> parse(String table) {
        int start = 0;
        while (start < table.length()) {
            int end = start;
            while (end < table.length() && table.charAt(end) != '\n' && table.charAt(end) != '\r') end++;
            String[] f = fields(table.substring(start, end).trim(), 3);
            if (f[2] != null && f[1].equals("00000000") && !f[2].equals("00000000")) {
                int g;
                try {
                    g = Integer.reverseBytes(Integer.parseUnsignedInt(f[2], 16));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                return Optional.of(new DefaultRoute(f[0], HostNetwork.ipv4(g)));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    /**
     * The first {@code n} fields of a trimmed line, separated by runs of the characters
     * {@code \s} matches (space, tab, newline, vertical tab, form feed, carriage return); null where
     * the line has fewer.
     */
    static String[] fields(String line, int n) {
        String[] f = new String[n];
        int i = 0;
        for (int k = 0; k < n && i < line.length(); k++) {
            int end = i;
            while (end < line.length() && !isSpace(line.charAt(end))) end++;
            f[k] = line.substring(i, end);
            i = end;
            while (i < line.length() && isSpace(line.charAt(i))) i++;
        }
        if (line.isEmpty()) f[0] = ""; // as split gives one empty field
        return f;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
