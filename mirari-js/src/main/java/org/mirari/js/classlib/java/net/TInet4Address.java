package org.mirari.js.classlib.java.net;

/** {@code java.net.Inet4Address} for TeaVM: four bytes (see {@link TInetAddress}). */
public final class TInet4Address extends TInetAddress {
    TInet4Address(byte[] address) {
        super(address);
    }
}
