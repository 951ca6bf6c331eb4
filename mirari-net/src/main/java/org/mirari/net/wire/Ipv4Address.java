package org.mirari.net.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** An IPv4 address held in an {@code int}, network order (first octet in the high bits). */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {
    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

    /** Parses dotted-quad text ({@code 10.0.0.2}); {@link IllegalArgumentException} otherwise. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + text);
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit))
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            int octet = Integer.parseInt(p);
            if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + text);
            v = v << 8 | octet;
        }
        return new Ipv4Address(v);
    }

    public static Ipv4Address of(InetAddress address) {
        if (!(address instanceof Inet4Address a4)) throw new IllegalArgumentException("not IPv4: " + address);
        return read(ByteBuffer.wrap(a4.getAddress()), 0);
    }

    public static Ipv4Address read(ByteBuffer b, int offset) {
        return new Ipv4Address(b.getInt(offset));
    }

    public void write(ByteBuffer b, int offset) {
        b.putInt(offset, bits);
    }

    /** The netmask with {@code prefix} leading one bits. */
    public static Ipv4Address netmask(int prefix) {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix " + prefix);
        return new Ipv4Address(prefix == 0 ? 0 : -1 << (32 - prefix));
    }

    /** The prefix length of this address read as a netmask; -1 if its one bits are not contiguous. */
    public int prefixLength() {
        int n = Integer.bitCount(bits);
        return netmask(n).bits == bits ? n : -1;
    }

    public boolean isAny() {
        return bits == 0;
    }

    public boolean isBroadcast() {
        return bits == -1;
    }

    public boolean isMulticast() {
        return (bits >>> 28) == 0xe;
    }

    public boolean sameSubnet(Ipv4Address other, Ipv4Address mask) {
        return ((bits ^ other.bits) & mask.bits) == 0;
    }

    public Inet4Address toInet() {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid address
        }
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }
}
