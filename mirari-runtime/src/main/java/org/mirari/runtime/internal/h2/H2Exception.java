package org.mirari.runtime.internal.h2;

/**
 * A violation of RFC 9113 or RFC 7541 found while decoding, with the error code (RFC 9113 §7)
 * a GOAWAY or RST_STREAM would carry.
 */
public final class H2Exception extends Exception {
    public static final int PROTOCOL_ERROR = 0x1;
    public static final int FLOW_CONTROL_ERROR = 0x3;
    public static final int FRAME_SIZE_ERROR = 0x6;
    public static final int COMPRESSION_ERROR = 0x9;
    public static final int ENHANCE_YOUR_CALM = 0xb;

    private final int code;

    public H2Exception(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The RFC 9113 §7 error code. */
    public int code() {
        return code;
    }
}
