package org.mirari.runtime.internal.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HPACK against RFC 7541's own examples (Appendix C), and the limits that stop an HPACK bomb. */
class HpackTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static Hpack.Field f(String n, String v) {
        return new Hpack.Field(n, v);
    }

    @Test
    void theHuffmanCodesAreTheAppendixs() {
        assertThat(Huffman.CODES['0']).isEqualTo(0x0);
        assertThat(Huffman.CODES['a']).isEqualTo(0x3);
        assertThat(Huffman.CODES[':']).isEqualTo(0x5c);
        assertThat(Huffman.CODES['<']).isEqualTo(0x7ffc);
        assertThat(Huffman.CODES[9]).isEqualTo(0xffffea);
        assertThat(Huffman.CODES[10]).isEqualTo(0x3ffffffc);
        assertThat(Huffman.CODES[255]).isEqualTo(0x3ffffee);
        assertThat(Huffman.CODES[Huffman.EOS]).isEqualTo(0x3fffffff);
        double kraft = 0;
        for (byte len : Huffman.LENGTHS) {
            kraft += Math.pow(2, -len);
        }
        assertThat(Huffman.LENGTHS).hasSize(257);
        assertThat(kraft).isEqualTo(1.0); // a complete prefix code
    }

    @Test
    void huffmanRoundTripsEveryByte() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] enc = Huffman.encode(all);
        assertThat(Huffman.decode(enc, 0, enc.length, 1000)).isEqualTo(all);
        assertThat(Huffman.encode("www.example.com".getBytes())).isEqualTo(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"));
    }

    @Test
    void badHuffmanPaddingIsACompressionError() {
        // 'a' (00011) padded with zeros instead of ones
        assertThatThrownBy(() -> Huffman.decode(new byte[] {0x18}, 0, 1, 10))
                .isInstanceOf(H2Exception.class)
                .hasMessageContaining("padding");
        // eight or more bits of padding
        assertThatThrownBy(() -> Huffman.decode(new byte[] {0x1f, (byte) 0xff}, 0, 2, 10))
                .hasMessageContaining("padding");
    }

    @Test
    void appendixC2LiteralWithIndexing() throws Exception {
        var h = new Hpack(4096, 16384);
        byte[] b = hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        assertThat(h.decode(b, 0, b.length)).containsExactly(f("custom-key", "custom-header"));
        assertThat(h.tableSize()).isEqualTo(55);
    }

    @Test
    void appendixC4RequestsWithHuffmanShareOneTable() throws Exception {
        var h = new Hpack(4096, 16384);
        byte[] one = hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff");
        assertThat(h.decode(one, 0, one.length))
                .containsExactly(
                        f(":method", "GET"), f(":scheme", "http"), f(":path", "/"), f(":authority", "www.example.com"));
        assertThat(h.tableSize()).isEqualTo(57);
        byte[] two = hex("8286 84be 5886 a8eb 1064 9cbf");
        assertThat(h.decode(two, 0, two.length))
                .containsExactly(
                        f(":method", "GET"),
                        f(":scheme", "http"),
                        f(":path", "/"),
                        f(":authority", "www.example.com"),
                        f("cache-control", "no-cache"));
        assertThat(h.tableSize()).isEqualTo(110);
        byte[] three = hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
        assertThat(h.decode(three, 0, three.length))
                .containsExactly(
                        f(":method", "GET"),
                        f(":scheme", "https"),
                        f(":path", "/index.html"),
                        f(":authority", "www.example.com"),
                        f("custom-key", "custom-value"));
        assertThat(h.tableSize()).isEqualTo(164);
        assertThat(h.dynamicTable().getFirst()).isEqualTo(f("custom-key", "custom-value"));
    }

    @Test
    void appendixC3WithoutHuffman() throws Exception {
        var h = new Hpack(4096, 16384);
        byte[] b = hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
        assertThat(h.decode(b, 0, b.length)).contains(f(":authority", "www.example.com"));
    }

    @Test
    void theEncoderIsReadByTheDecoder() throws Exception {
        var fields = List.of(
                f(":status", "200"),
                f(":status", "308"),
                f("content-type", "text/plain; charset=utf-8"),
                f("x-long", "v".repeat(300)),
                f("date", "Tue, 01 Dec 2026 08:06:56 GMT"));
        byte[] b = Hpack.encode(fields);
        assertThat(new Hpack(4096, 16384).decode(b, 0, b.length)).isEqualTo(fields);
        assertThat(b[0]).isEqualTo((byte) 0x88); // :status 200 indexed
    }

    @Test
    void anHpackBombIsRefusedAsItExpands() {
        // one 4,000-byte entry put in the table, then referred to 1,000 times: 5 KB that decode to 4 MB
        var block = new ByteArrayOutputStream();
        block.write(0x40);
        block.write(1);
        block.write('x');
        Hpack.writeInteger(block, 0, 7, 4000);
        block.writeBytes("y".repeat(4000).getBytes());
        for (int i = 0; i < 1000; i++) {
            block.write(0x80 | 62);
        }
        byte[] b = block.toByteArray();
        assertThatThrownBy(() -> new Hpack(4096, 65536).decode(b, 0, b.length))
                .isInstanceOf(H2Exception.class)
                .hasMessage("a header list larger than 65536 bytes decoded")
                .extracting(e -> ((H2Exception) e).code())
                .isEqualTo(H2Exception.ENHANCE_YOUR_CALM);
    }

    @Test
    void malformedBlocks() {
        var h = new Hpack(4096, 16384);
        assertThatThrownBy(() -> h.decode(new byte[] {(byte) 0x80}, 0, 1)).hasMessageContaining("index 0");
        assertThatThrownBy(() -> h.decode(new byte[] {(byte) 0xff, 0x10}, 0, 2))
                .hasMessageContaining("beyond the tables");
        assertThatThrownBy(() -> h.decode(new byte[] {0x3f, (byte) 0xe2, 0x1f}, 0, 3))
                .hasMessageContaining("above the advertised 4096");
        assertThatThrownBy(() -> h.decode(new byte[] {(byte) 0x82, 0x20}, 0, 2)).hasMessageContaining("after a field");
        assertThatThrownBy(() -> h.decode(new byte[] {0x00, 0x05, 'a'}, 0, 3))
                .hasMessageContaining("longer than its header block");
        assertThatThrownBy(() -> h.decode(
                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, 0, 6))
                .hasMessageContaining("2^24");
    }
}
