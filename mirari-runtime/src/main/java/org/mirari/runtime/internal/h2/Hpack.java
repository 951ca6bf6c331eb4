package org.mirari.runtime.internal.h2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HPACK (RFC 7541): the decoder of one connection's header blocks, with its dynamic table, and a
 * stateless encoder for responses. The decoder is bounded three ways against the HPACK bomb (RFC
 * 9113 §10.5.1, §10.5.2): the dynamic table by the size the server advertised, each string by the
 * header list limit, and the decoded list by {@code maxListSize} counted as RFC 9113 §6.5.2 counts
 * it (name, value and 32 bytes per field), so a small block that expands, by indexing one large
 * entry again and again, is refused as it expands.
 */
public final class Hpack {
    /** A decoded header field. */
    public record Field(String name, String value) {}

    /** The static table (RFC 7541 Appendix A), index 1 first. */
    static final Field[] STATIC = {
        new Field(":authority", ""),
        new Field(":method", "GET"),
        new Field(":method", "POST"),
        new Field(":path", "/"),
        new Field(":path", "/index.html"),
        new Field(":scheme", "http"),
        new Field(":scheme", "https"),
        new Field(":status", "200"),
        new Field(":status", "204"),
        new Field(":status", "206"),
        new Field(":status", "304"),
        new Field(":status", "400"),
        new Field(":status", "404"),
        new Field(":status", "500"),
        new Field("accept-charset", ""),
        new Field("accept-encoding", "gzip, deflate"),
        new Field("accept-language", ""),
        new Field("accept-ranges", ""),
        new Field("accept", ""),
        new Field("access-control-allow-origin", ""),
        new Field("age", ""),
        new Field("allow", ""),
        new Field("authorization", ""),
        new Field("cache-control", ""),
        new Field("content-disposition", ""),
        new Field("content-encoding", ""),
        new Field("content-language", ""),
        new Field("content-length", ""),
        new Field("content-location", ""),
        new Field("content-range", ""),
        new Field("content-type", ""),
        new Field("cookie", ""),
        new Field("date", ""),
        new Field("etag", ""),
        new Field("expect", ""),
        new Field("expires", ""),
        new Field("from", ""),
        new Field("host", ""),
        new Field("if-match", ""),
        new Field("if-modified-since", ""),
        new Field("if-none-match", ""),
        new Field("if-range", ""),
        new Field("if-unmodified-since", ""),
        new Field("last-modified", ""),
        new Field("link", ""),
        new Field("location", ""),
        new Field("max-forwards", ""),
        new Field("proxy-authenticate", ""),
        new Field("proxy-authorization", ""),
        new Field("range", ""),
        new Field("referer", ""),
        new Field("refresh", ""),
        new Field("retry-after", ""),
        new Field("server", ""),
        new Field("set-cookie", ""),
        new Field("strict-transport-security", ""),
        new Field("transfer-encoding", ""),
        new Field("user-agent", ""),
        new Field("vary", ""),
        new Field("via", ""),
        new Field("www-authenticate", "")
    };

    /** Each static name's first index, for the encoder. */
    private static final Map<String, Integer> STATIC_NAMES;

    static {
        var m = new java.util.HashMap<String, Integer>();
        for (int i = STATIC.length - 1; i >= 0; i--) {
            m.put(STATIC[i].name(), i + 1);
        }
        STATIC_NAMES = Map.copyOf(m);
    }

    /** What an entry costs in the table (RFC 7541 §4.1). */
    static int size(Field f) {
        return f.name().length() + f.value().length() + 32;
    }

    private final int settingsTableSize;
    private final int maxListSize;
    private final ArrayDeque<Field> dynamic = new ArrayDeque<>(); // newest first
    private int tableSize;
    private int maxTableSize;

    /**
     * @param settingsTableSize the SETTINGS_HEADER_TABLE_SIZE this side advertised (the decoder's upper bound)
     * @param maxListSize       the largest decoded header list accepted (SETTINGS_MAX_HEADER_LIST_SIZE)
     */
    public Hpack(int settingsTableSize, int maxListSize) {
        this.settingsTableSize = settingsTableSize;
        this.maxTableSize = settingsTableSize;
        this.maxListSize = maxListSize;
    }

    /** Decodes one whole header block (the HEADERS fragment and its CONTINUATIONs). */
    public List<Field> decode(byte[] block, int offset, int length) throws H2Exception {
        var out = new ArrayList<Field>();
        int[] pos = {offset};
        int end = offset + length;
        long listSize = 0;
        boolean fieldSeen = false;
        while (pos[0] < end) {
            int b = block[pos[0]] & 0xff;
            Field f;
            if ((b & 0x80) != 0) { // indexed (§6.1)
                f = entry(integer(block, pos, end, 7));
            } else if ((b & 0xc0) == 0x40) { // literal with incremental indexing (§6.2.1)
                f = literal(block, pos, end, 6);
                add(f);
            } else if ((b & 0xe0) == 0x20) { // dynamic table size update (§6.3): only before the first field
                if (fieldSeen) {
                    throw new H2Exception(
                            H2Exception.COMPRESSION_ERROR, "a table size update after a field (RFC 7541 §4.2)");
                }
                int n = integer(block, pos, end, 5);
                if (n > settingsTableSize) {
                    throw new H2Exception(
                            H2Exception.COMPRESSION_ERROR,
                            "a table size " + n + " above the advertised " + settingsTableSize);
                }
                maxTableSize = n;
                evict(0);
                continue;
            } else { // literal without indexing or never indexed (§6.2.2, §6.2.3)
                f = literal(block, pos, end, 4);
            }
            fieldSeen = true;
            listSize += size(f);
            if (listSize > maxListSize) {
                throw new H2Exception(
                        H2Exception.ENHANCE_YOUR_CALM, "a header list larger than " + maxListSize + " bytes decoded");
            }
            out.add(f);
        }
        return out;
    }

    /** The entries of the dynamic table, newest first (for tests). */
    List<Field> dynamicTable() {
        return List.copyOf(dynamic);
    }

    int tableSize() {
        return tableSize;
    }

    private Field entry(int index) throws H2Exception {
        if (index <= 0) {
            throw new H2Exception(H2Exception.COMPRESSION_ERROR, "index 0 (RFC 7541 §6.1)");
        }
        if (index <= STATIC.length) {
            return STATIC[index - 1];
        }
        int i = index - STATIC.length - 1;
        if (i >= dynamic.size()) {
            throw new H2Exception(H2Exception.COMPRESSION_ERROR, "index " + index + " beyond the tables");
        }
        var it = dynamic.iterator();
        for (int k = 0; k < i; k++) {
            it.next();
        }
        return it.next();
    }

    private Field literal(byte[] in, int[] pos, int end, int prefix) throws H2Exception {
        int index = integer(in, pos, end, prefix);
        String name = index == 0 ? string(in, pos, end) : entry(index).name();
        return new Field(name, string(in, pos, end));
    }

    private void add(Field f) {
        int s = size(f);
        if (s > maxTableSize) { // larger than the table: empties it (§4.4)
            dynamic.clear();
            tableSize = 0;
            return;
        }
        evict(s);
        dynamic.addFirst(f);
        tableSize += s;
    }

    private void evict(int room) {
        while (tableSize + room > maxTableSize && !dynamic.isEmpty()) {
            tableSize -= size(dynamic.removeLast());
        }
    }

    /** An integer with an N-bit prefix (§5.1), at most 2^24: no header block needs more. */
    static int integer(byte[] in, int[] pos, int end, int prefix) throws H2Exception {
        if (pos[0] >= end) {
            throw new H2Exception(H2Exception.COMPRESSION_ERROR, "a header block ends inside an integer");
        }
        int max = (1 << prefix) - 1;
        int v = in[pos[0]++] & max;
        if (v < max) {
            return v;
        }
        int shift = 0;
        while (true) {
            if (pos[0] >= end) {
                throw new H2Exception(H2Exception.COMPRESSION_ERROR, "a header block ends inside an integer");
            }
            int b = in[pos[0]++] & 0xff;
            v += (b & 0x7f) << shift;
            if (v > 1 << 24 || shift > 21) {
                throw new H2Exception(H2Exception.COMPRESSION_ERROR, "an integer above 2^24 in a header block");
            }
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }

    private String string(byte[] in, int[] pos, int end) throws H2Exception {
        if (pos[0] >= end) {
            throw new H2Exception(H2Exception.COMPRESSION_ERROR, "a header block ends before a string");
        }
        boolean huffman = (in[pos[0]] & 0x80) != 0;
        int length = integer(in, pos, end, 7);
        if (length > end - pos[0]) {
            throw new H2Exception(H2Exception.COMPRESSION_ERROR, "a string longer than its header block");
        }
        if (length > maxListSize) {
            throw new H2Exception(
                    H2Exception.ENHANCE_YOUR_CALM, "a header string longer than " + maxListSize + " bytes");
        }
        byte[] bytes = huffman
                ? Huffman.decode(in, pos[0], length, maxListSize)
                : java.util.Arrays.copyOfRange(in, pos[0], pos[0] + length);
        pos[0] += length;
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---- encoding (responses) ------------------------------------------------------------

    /**
     * Encodes {@code fields} without touching any dynamic table: each a literal without indexing
     * (§6.2.2), its name by static index when it has one, {@code :status} indexed when the static
     * table has it. Stateless, so the peer's table never has to be tracked.
     */
    public static byte[] encode(List<Field> fields) {
        var out = new ByteArrayOutputStream();
        for (Field f : fields) {
            int full = fullIndex(f);
            if (full > 0) {
                writeInteger(out, 0x80, 7, full);
                continue;
            }
            Integer name = STATIC_NAMES.get(f.name());
            if (name != null) {
                writeInteger(out, 0x00, 4, name);
            } else {
                writeInteger(out, 0x00, 4, 0);
                writeString(out, f.name());
            }
            writeString(out, f.value());
        }
        return out.toByteArray();
    }

    private static int fullIndex(Field f) {
        if (f.name().equals(":status")) {
            for (int i = 7; i < 14; i++) {
                if (STATIC[i].value().equals(f.value())) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    static void writeInteger(ByteArrayOutputStream out, int flags, int prefix, int v) {
        int max = (1 << prefix) - 1;
        if (v < max) {
            out.write(flags | v);
            return;
        }
        out.write(flags | max);
        v -= max;
        while (v >= 0x80) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] huff = Huffman.encode(raw);
        if (huff.length < raw.length) {
            writeInteger(out, 0x80, 7, huff.length);
            out.writeBytes(huff);
        } else {
            writeInteger(out, 0x00, 7, raw.length);
            out.writeBytes(raw);
        }
    }
}
