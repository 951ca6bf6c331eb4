package org.mirari.net.wire;

/** The IPv4 protocol field (IANA assigned numbers). Unknown numbers are values. */
public record IpProtocol(int value) {
    public static final IpProtocol ICMP = new IpProtocol(1);
    public static final IpProtocol TCP = new IpProtocol(6);
    public static final IpProtocol UDP = new IpProtocol(17);

    public IpProtocol {
        if (value < 0 || value > 255) throw new IllegalArgumentException("protocol " + value);
    }

    @Override
    public String toString() {
        return switch (value) {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            default -> "proto " + value;
        };
    }
}
