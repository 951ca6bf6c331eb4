package org.mirari.net.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A DNS message (RFC 1035 section 4.1) as a stub resolver needs it: the header, the questions and
 * the answer section, with A and CNAME data decoded; the authority and additional sections are not
 * read. Names come back in lower case (RFC 4343: comparisons ignore case) without the final dot.
 * Parsing is bounded: compression pointers must point backwards (so they cannot loop), a name has at
 * most 255 bytes (section 3.1), and at most {@link #MAX_RECORDS} questions or answers are read.
 *
 * @param flags the 16 bits after the ID: QR, opcode, AA, TC, RD, RA, Z and RCODE (section 4.1.1)
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<Answer> answers) {
    public static final int TYPE_A = 1, TYPE_CNAME = 5, CLASS_IN = 1, PORT = 53;
    public static final int QR = 0x8000, TC = 0x0200, RD = 0x0100;
    public static final int RCODE_OK = 0, RCODE_SERVFAIL = 2, RCODE_NXDOMAIN = 3, RCODE_REFUSED = 5;
    public static final int HEADER_LEN = 12, MAX_NAME = 255, MAX_LABEL = 63, MAX_RECORDS = 64;

    public record Question(String name, int type, int klass) {}

    /** One answer record; {@code address} is set for A, {@code cname} for CNAME records of class IN. */
    public record Answer(
            String name, int type, int klass, long ttl, Optional<Ipv4Address> address, Optional<String> cname) {}

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
    }

    public boolean isResponse() {
        return (flags & QR) != 0;
    }

    public boolean truncated() {
        return (flags & TC) != 0;
    }

    public int rcode() {
        return flags & 0xf;
    }

    /** A standard query for {@code name} (recursion desired): the bytes to send. */
    public static ByteBuffer query(int id, String name, int type) {
        var out = ByteBuffer.allocate(HEADER_LEN + MAX_NAME + 4);
        out.putShort((short) id)
                .putShort((short) RD)
                .putShort((short) 1)
                .putShort((short) 0)
                .putInt(0);
        writeName(out, name);
        out.putShort((short) type).putShort((short) CLASS_IN);
        return out.flip();
    }

    /**
     * Checks that {@code name} can be asked for: labels of 1-63 letters, digits, hyphens or
     * underscores, at most 253 characters in all (RFC 1035 2.3.4); one final dot is allowed.
     *
     * @return the name in lower case without a final dot
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkName(String name) {
        var n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253)
            throw new IllegalArgumentException("\"" + name + "\" is not a host name of 1-253 characters");
        for (var label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL)
                throw new IllegalArgumentException(
                        "\"" + name + "\" has a label that is empty or longer than 63 characters");
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'))
                    throw new IllegalArgumentException(
                            "\"" + name + "\" has a character DNS names do not use: '" + c + "'");
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }

    private static void writeName(ByteBuffer out, String name) {
        for (var label : checkName(name).split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.put((byte) b.length).put(b);
        }
        out.put((byte) 0);
    }

    public static DnsMessage parse(ByteBuffer b) throws MalformedPacketException {
        var s = b.slice();
        if (s.remaining() < HEADER_LEN)
            throw new MalformedPacketException("DNS message of " + s.remaining() + " bytes is shorter than 12");
        int id = s.getShort(0) & 0xffff, flags = s.getShort(2) & 0xffff;
        int qd = s.getShort(4) & 0xffff, an = s.getShort(6) & 0xffff;
        if (qd > MAX_RECORDS || an > MAX_RECORDS)
            throw new MalformedPacketException(
                    "DNS message with " + qd + " questions and " + an + " answers is more than a stub reads");
        int[] pos = {HEADER_LEN};
        var questions = new ArrayList<Question>();
        for (int i = 0; i < qd; i++) {
            var name = readName(s, pos);
            need(s, pos[0], 4, "question");
            questions.add(new Question(name, s.getShort(pos[0]) & 0xffff, s.getShort(pos[0] + 2) & 0xffff));
            pos[0] += 4;
        }
        var answers = new ArrayList<Answer>();
        for (int i = 0; i < an; i++) {
            var name = readName(s, pos);
            need(s, pos[0], 10, "record");
            int type = s.getShort(pos[0]) & 0xffff, klass = s.getShort(pos[0] + 2) & 0xffff;
            long ttl = s.getInt(pos[0] + 4) & 0xffff_ffffL;
            int len = s.getShort(pos[0] + 8) & 0xffff;
            int data = pos[0] + 10;
            need(s, data, len, "record data");
            Optional<Ipv4Address> address = Optional.empty();
            Optional<String> cname = Optional.empty();
            if (klass == CLASS_IN && type == TYPE_A) {
                if (len != 4) throw new MalformedPacketException("DNS A record with " + len + " bytes of data, not 4");
                address = Optional.of(Ipv4Address.read(s, data));
            } else if (klass == CLASS_IN && type == TYPE_CNAME) {
                int[] p = {data};
                cname = Optional.of(readName(s, p));
                if (p[0] > data + len) throw new MalformedPacketException("DNS CNAME runs past its record");
            }
            // RFC 2181 8: a TTL with the top bit set is taken as zero
            answers.add(new Answer(name, type, klass, ttl > 0x7fff_ffffL ? 0 : ttl, address, cname));
            pos[0] = data + len;
        }
        return new DnsMessage(id, flags, questions, answers);
    }

    private static void need(ByteBuffer s, int at, int n, String what) throws MalformedPacketException {
        if (at + n > s.limit())
            throw new MalformedPacketException("DNS " + what + " runs past the " + s.limit() + "-byte message");
    }

    /** Reads a possibly compressed name at {@code pos[0]} and moves it past the name's bytes in place. */
    private static String readName(ByteBuffer s, int[] pos) throws MalformedPacketException {
        var sb = new StringBuilder();
        int p = pos[0], length = 1, floor = p;
        boolean jumped = false;
        while (true) {
            need(s, p, 1, "name");
            int len = s.get(p) & 0xff;
            if ((len & 0xc0) == 0xc0) {
                need(s, p, 2, "name");
                int target = ((len & 0x3f) << 8) | (s.get(p + 1) & 0xff);
                // RFC 1035 4.1.4: a pointer to a prior occurrence; one that does not go back could loop
                if (target >= floor)
                    throw new MalformedPacketException("DNS name pointer to " + target + " does not point backwards");
                if (!jumped) pos[0] = p + 2;
                jumped = true;
                floor = target;
                p = target;
                continue;
            }
            if ((len & 0xc0) != 0)
                throw new MalformedPacketException("DNS label type " + (len >> 6) + " is not supported");
            if (len == 0) break;
            length += len + 1;
            if (length > MAX_NAME) throw new MalformedPacketException("DNS name longer than 255 bytes");
            need(s, p + 1, len, "label");
            if (!sb.isEmpty()) sb.append('.');
            for (int i = 0; i < len; i++) sb.append((char) Character.toLowerCase(s.get(p + 1 + i) & 0xff));
            p += len + 1;
        }
        if (!jumped) pos[0] = p + 1;
        return sb.toString();
    }
}
