package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DNS messages (RFC 1035 4.1): the query we send, answers with compression, and bounded parsing of hostile bytes. */
class DnsMessageTest {
    /** dnsmasq's answer to "alias.mirari.test A": alias CNAME www, www A 10.77.0.6, names compressed (captured shape). */
    static final byte[] CNAME_ANSWER = HexFormat.of()
            .parseHex("beef85800001000200000000"
                    + "05616c696173" + "066d6972617269" + "0474657374" + "00"
                    + "00010001" // alias.mirari.test A IN; mirari.test at 18
                    + "c00c" + "0005" + "0001" + "0000003c" + "0006" + "03777777"
                    + "c012" // CNAME www + pointer; www... at 47
                    + "c02f" + "0001" + "0001" + "0000003c" + "0004" + "0a4d0006"); // A 10.77.0.6

    @Test
    void queryIsAStandardRecursiveQuestion() {
        var q = DnsMessage.query(0x1234, "WWW.Example.org.", DnsMessage.TYPE_A);
        assertThat(HexFormat.of().formatHex(bytes(q)))
                .isEqualTo("12340100000100000000000003777777076578616d706c65036f72670000010001");
        var parsed = parse(bytes(q));
        assertThat(parsed.isResponse()).isFalse();
        assertThat(parsed.questions()).containsExactly(new DnsMessage.Question("www.example.org", 1, 1));
    }

    @Test
    void parsesACompressedCnameChain() throws Exception {
        var m = DnsMessage.parse(ByteBuffer.wrap(CNAME_ANSWER));
        assertThat(m.id()).isEqualTo(0xbeef);
        assertThat(m.isResponse()).isTrue();
        assertThat(m.rcode()).isZero();
        assertThat(m.questions()).containsExactly(new DnsMessage.Question("alias.mirari.test", 1, 1));
        assertThat(m.answers()).hasSize(2);
        assertThat(m.answers().get(0).name()).isEqualTo("alias.mirari.test");
        assertThat(m.answers().get(0).cname()).contains("www.mirari.test");
        assertThat(m.answers().get(1).name()).isEqualTo("www.mirari.test");
        assertThat(m.answers().get(1).address()).contains(Ipv4Address.parse("10.77.0.6"));
        assertThat(m.answers().get(1).ttl()).isEqualTo(60);
        assertThat(m.answers().get(1).cname()).isEqualTo(Optional.empty());
    }

    @Test
    void refusesLoopsTruncationAndOversizedNames() {
        // a pointer to itself
        assertThatThrownBy(() -> DnsMessage.parse(
                        ByteBuffer.wrap(HexFormat.of().parseHex("000081800001000000000000c00c00010001"))))
                .hasMessageContaining("does not point backwards");
        // two labels pointing at each other: 12 -> 14 is forward
        assertThatThrownBy(() -> DnsMessage.parse(
                        ByteBuffer.wrap(HexFormat.of().parseHex("0000818000010000000000000161c00e00010001"))))
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> DnsMessage.parse(ByteBuffer.wrap(new byte[11])))
                .hasMessageContaining("shorter than 12");
        assertThatThrownBy(() ->
                        DnsMessage.parse(ByteBuffer.wrap(HexFormat.of().parseHex("00008180000100000000000005616263"))))
                .hasMessageContaining("runs past");
        var longName = new ByteArrayOutputStream();
        longName.writeBytes(HexFormat.of().parseHex("000081800001000000000000"));
        for (int i = 0; i < 5; i++) {
            longName.write(63);
            longName.writeBytes(new byte[63]);
        }
        longName.write(0);
        assertThatThrownBy(() -> DnsMessage.parse(ByteBuffer.wrap(longName.toByteArray())))
                .hasMessageContaining("longer than 255");
        // an A record whose data is not four bytes
        var badA = HexFormat.of().parseHex("0000818000000001000000000000010001000000050003010203");
        assertThatThrownBy(() -> DnsMessage.parse(ByteBuffer.wrap(badA))).hasMessageContaining("not 4");
    }

    @Test
    void namesAreCheckedBeforeTheyAreAsked() {
        assertThat(DnsMessage.checkName("Host-1.example.")).isEqualTo("host-1.example");
        assertThatThrownBy(() -> DnsMessage.checkName("a..b")).hasMessageContaining("empty");
        assertThatThrownBy(() -> DnsMessage.checkName("x".repeat(64) + ".org")).hasMessageContaining("longer than 63");
        assertThatThrownBy(() -> DnsMessage.checkName("bad name")).hasMessageContaining("' '");
        assertThatThrownBy(() -> DnsMessage.checkName("")).hasMessageContaining("1-253");
    }

    /** Any bytes: either a message or MalformedPacketException, never another exception or a hang. */
    @FuzzTest(maxDuration = "10s")
    void parseFuzz(byte[] data) {
        try {
            var m = DnsMessage.parse(ByteBuffer.wrap(data));
            assertThat(m.questions().size()).isLessThanOrEqualTo(DnsMessage.MAX_RECORDS);
            for (var a : m.answers()) assertThat(a.name().length()).isLessThanOrEqualTo(DnsMessage.MAX_NAME);
        } catch (MalformedPacketException expected) {
            // fine
        }
    }

    static byte[] bytes(ByteBuffer b) {
        var a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static DnsMessage parse(byte[] b) {
        try {
            return DnsMessage.parse(ByteBuffer.wrap(b));
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }
}
