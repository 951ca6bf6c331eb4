package org.mirari.tool.config;

import java.util.Optional;

/** An IPv4 address or netmask as its 32 bits. */
public record Ipv4(int bits) {
    /** Parses strict dotted-quad notation (four decimal numbers 0-255, no leading zeros). */
    public static Optional<Ipv4> parse(String text) {
        var parts = text.split("\\.", -1);
        if (parts.length != 4) return Optional.empty();
        int bits = 0;
        for (var p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return Optional.empty();
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') return Optional.empty();
            }
            int n = Integer.parseInt(p);
            if (n > 255) return Optional.empty();
            bits = (bits << 8) | n;
        }
        return Optional.of(new Ipv4(bits));
    }

    /** Whether the ones are contiguous from the top (255.255.255.0 yes, 255.0.255.0 no). */
    public boolean isNetmask() {
        int inverted = ~bits;
        return (inverted & (inverted + 1)) == 0;
    }

    /** The prefix length of a netmask. */
    public int prefixLength() {
        return Integer.bitCount(bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 255) + "." + ((bits >>> 8) & 255) + "." + (bits & 255);
    }
}
