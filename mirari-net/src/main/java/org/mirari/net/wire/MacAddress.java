package org.mirari.net.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A 48-bit Ethernet MAC address held in the low bits of a {@code long}. */
public record MacAddress(long bits) {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) throw new IllegalArgumentException("not 48 bits: " + bits);
    }

    /** Parses {@code 02:00:00:aa:bb:cc}. */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) throw new IllegalArgumentException("not a MAC address: " + text);
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2) throw new IllegalArgumentException("not a MAC address: " + text);
            v = v << 8 | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    /**
     * A random locally administered unicast address (IEEE 802: bit 1 of the first octet set, bit 0
     * clear), as Linux gives a tap with no address of its own.
     */
    public static MacAddress randomLocal(RandomGenerator random) {
        long v = random.nextLong() & 0xffff_ffff_ffffL;
        v = (v & ~(0x01L << 40)) | (0x02L << 40);
        return new MacAddress(v);
    }

    /** Reads six bytes at {@code offset} (absolute). */
    public static MacAddress read(ByteBuffer b, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) v = v << 8 | (b.get(offset + i) & 0xff);
        return new MacAddress(v);
    }

    /** Writes six bytes at {@code offset} (absolute). */
    public void write(ByteBuffer b, int offset) {
        for (int i = 0; i < 6; i++) b.put(offset + i, (byte) (bits >>> (40 - 8 * i)));
    }

    public byte[] toBytes() {
        byte[] out = new byte[6];
        write(ByteBuffer.wrap(out), 0);
        return out;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    /** Group (multicast or broadcast) addresses have bit 0 of the first octet set. */
    public boolean isGroup() {
        return (bits & (0x01L << 40)) != 0;
    }

    @Override
    public String toString() {
        var sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) sb.append(':');
            sb.append(HexFormat.of().toHexDigits((byte) (bits >>> (40 - 8 * i))));
        }
        return sb.toString();
    }
}
