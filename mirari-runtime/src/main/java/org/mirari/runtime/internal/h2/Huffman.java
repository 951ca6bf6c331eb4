package org.mirari.runtime.internal.h2;

import java.io.ByteArrayOutputStream;

/**
 * HPACK's static Huffman code (RFC 7541 Appendix B). The code is canonical: within each length,
 * codes are consecutive in symbol order, and each length's first code follows the last code of
 * the length before, shifted. So the table is kept as the lengths alone (the appendix's {@code len}
 * column) and the codes are worked out from them; the decoder walks a binary tree built once.
 */
final class Huffman {
    /** Code length in bits of symbols 0-255 and EOS (256), from RFC 7541 Appendix B. */
    static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15,
        6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22,
        20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23,
        23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22,
        22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26,
        27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27,
        26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30
    };

    static final int EOS = 256;

    /** The code of each symbol, right-aligned (as the appendix's hex column). */
    static final int[] CODES = new int[257];

    /**
     * The decoding tree: node {@code n} has children {@code TREE[2n]} (bit 0) and {@code TREE[2n+1]}
     * (bit 1); a child below zero is the leaf of symbol {@code ~child}, zero is no child.
     */
    private static final int[] TREE;

    static {
        Integer[] order = new Integer[257];
        for (int i = 0; i < 257; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> LENGTHS[a] != LENGTHS[b] ? LENGTHS[a] - LENGTHS[b] : a - b);
        int code = 0;
        int length = LENGTHS[order[0]];
        for (int i = 0; i < 257; i++) {
            int s = order[i];
            code <<= LENGTHS[s] - length;
            length = LENGTHS[s];
            CODES[s] = code++;
        }
        int[] tree = new int[2 * 512];
        int nodes = 1;
        for (int s = 0; s < 257; s++) {
            int node = 0;
            for (int b = LENGTHS[s] - 1; b >= 0; b--) {
                int bit = (CODES[s] >>> b) & 1;
                int slot = 2 * node + bit;
                if (b == 0) {
                    tree[slot] = ~s;
                } else {
                    if (tree[slot] == 0) {
                        tree[slot] = nodes++;
                    }
                    node = tree[slot];
                }
            }
        }
        TREE = tree;
    }

    private Huffman() {}

    /**
     * Decodes {@code length} bytes from {@code offset}; the padding must be at most 7 bits, all ones
     * (a prefix of EOS), and EOS itself must not appear (RFC 7541 §5.2).
     */
    static byte[] decode(byte[] in, int offset, int length, int maxLength) throws H2Exception {
        var out = new ByteArrayOutputStream(length + length / 2);
        int node = 0;
        int depth = 0; // bits read since the last symbol
        boolean allOnes = true;
        for (int i = offset; i < offset + length; i++) {
            int b = in[i] & 0xff;
            for (int k = 7; k >= 0; k--) {
                int bit = (b >>> k) & 1;
                allOnes &= bit == 1;
                depth++;
                int next = TREE[2 * node + bit];
                if (next < 0) {
                    int symbol = ~next;
                    if (symbol == EOS) {
                        throw new H2Exception(H2Exception.COMPRESSION_ERROR, "a Huffman string holds EOS");
                    }
                    if (out.size() >= maxLength) {
                        throw new H2Exception(
                                H2Exception.COMPRESSION_ERROR, "a Huffman string longer than " + maxLength);
                    }
                    out.write(symbol);
                    node = 0;
                    depth = 0;
                    allOnes = true;
                } else {
                    node = next;
                }
            }
        }
        if (depth > 7 || !allOnes) {
            throw new H2Exception(H2Exception.COMPRESSION_ERROR, "a Huffman string's padding is not a prefix of EOS");
        }
        return out.toByteArray();
    }

    /** Encodes {@code s} (for tests and the encoder's choice of the shorter form). */
    static byte[] encode(byte[] s) {
        var out = new ByteArrayOutputStream();
        long bits = 0;
        int n = 0;
        for (byte c : s) {
            int sym = c & 0xff;
            bits = bits << LENGTHS[sym] | CODES[sym];
            n += LENGTHS[sym];
            while (n >= 8) {
                out.write((int) (bits >>> (n - 8)));
                n -= 8;
            }
        }
        if (n > 0) {
            out.write((int) ((bits << (8 - n)) | (0xff >>> n)));
        }
        return out.toByteArray();
    }
}
