package org.mirari.net.wire;

/** An Ethernet II type field. Unknown values are values: the stack ignores them, parsers don't fail. */
public record EtherType(int value) {
    public static final EtherType IPV4 = new EtherType(0x0800);
    public static final EtherType ARP = new EtherType(0x0806);
    public static final EtherType IPV6 = new EtherType(0x86dd);

    public EtherType {
        if (value < 0 || value > 0xffff) throw new IllegalArgumentException("ethertype " + value);
    }

    @Override
    public String toString() {
        return switch (value) {
            case 0x0800 -> "IPv4";
            case 0x0806 -> "ARP";
            case 0x86dd -> "IPv6";
            default -> String.format("0x%04x", value);
        };
    }
}
