package org.mirari.js.classlib.java.net;

import java.util.Arrays;

/**
 * {@code java.net.InetAddress} for TeaVM, which has none: only what the runtime's boot-time
 * parameters use (an address made of its bytes, and back). There are no names to resolve in
 * JavaScript, so there is no {@code getByName}.
 */
public class TInetAddress {
    final byte[] address;

    TInetAddress(byte[] address) {
        this.address = address.clone();
    }

    public static TInetAddress getByAddress(byte[] address) throws TUnknownHostException {
        if (address.length == 4) return new TInet4Address(address);
        throw new TUnknownHostException("addr is of illegal length");
    }

    public byte[] getAddress() {
        return address.clone();
    }

    public String getHostAddress() {
        var s = new StringBuilder();
        for (int i = 0; i < address.length; i++) {
            if (i > 0) s.append('.');
            s.append(address[i] & 0xff);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TInetAddress other && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return "/" + getHostAddress();
    }
}
