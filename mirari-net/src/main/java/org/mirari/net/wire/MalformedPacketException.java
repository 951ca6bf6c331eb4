package org.mirari.net.wire;

/**
 * The one exception a wire parser throws: the bytes are not a well-formed packet of that type
 * (too short, a length field pointing past the buffer, a bad checksum, a wrong version). Parsers
 * never throw anything else for any input; the fuzz tests hold them to that.
 */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String message) {
        super(message, null, false, false); // hot path on hostile input: no stack trace
    }
}
