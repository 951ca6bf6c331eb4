package org.mirari.net.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/** One DHCP option (RFC 2132): a code 1-254 and up to 255 bytes of data. Unknown codes are values. */
public record DhcpOption(int code, byte[] data) {
    public static final int SUBNET_MASK = 1,
            ROUTER = 3,
            DNS = 6,
            HOST_NAME = 12,
            REQUESTED_IP = 50,
            LEASE_TIME = 51,
            OVERLOAD = 52,
            MESSAGE_TYPE = 53,
            SERVER_ID = 54,
            PARAMETER_LIST = 55,
            MESSAGE = 56,
            MAX_MESSAGE_SIZE = 57,
            RENEWAL_TIME = 58,
            REBINDING_TIME = 59,
            CLIENT_ID = 61;

    public DhcpOption {
        if (code < 1 || code > 254) throw new IllegalArgumentException("option code " + code);
        if (data.length > 255) throw new IllegalArgumentException("option " + code + " longer than 255 bytes");
        data = data.clone();
    }

    public static DhcpOption ofByte(int code, int value) {
        return new DhcpOption(code, new byte[] {(byte) value});
    }

    public static DhcpOption ofInt(int code, int value) {
        return new DhcpOption(code, ByteBuffer.allocate(4).putInt(value).array());
    }

    public static DhcpOption ofAddress(int code, Ipv4Address a) {
        return ofInt(code, a.bits());
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data as an unsigned 32-bit number, or -1 if it is not four bytes long. */
    public long asUnsignedInt() {
        return data.length == 4 ? ByteBuffer.wrap(data).getInt() & 0xffff_ffffL : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpOption d && d.code == code && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "option " + code + " [" + HexFormat.of().formatHex(data) + "]";
    }
}
