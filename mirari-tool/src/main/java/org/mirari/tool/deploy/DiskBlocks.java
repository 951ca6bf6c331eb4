package org.mirari.tool.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A raw disk as the EBS direct APIs take it: 512 KiB blocks, each sent with its SHA-256 (base64),
 * and a snapshot whose blocks never written read as zeros, so all-zero blocks are skipped (the
 * {@code --ec2} disk is 1 GiB, of which a few dozen MiB are written). The snapshot's checksum is
 * the SHA-256 of the blocks' digests in index order (the API's {@code LINEAR} aggregation).
 *
 * @param disk        the disk image
 * @param bytes       its size
 * @param blocks      the blocks that are not all zeros, in index order
 */
public record DiskBlocks(Path disk, long bytes, List<Block> blocks) {
    /** The EBS direct APIs' block size. */
    public static final int BLOCK_SIZE = 512 * 1024;

    public static final long GIB = 1L << 30;

    /** One block: its index and its SHA-256, base64. */
    public record Block(long index, String sha256) {}

    public DiskBlocks {
        blocks = List.copyOf(blocks);
    }

    /** Reads {@code disk} once, keeping the digests of the blocks that hold anything. */
    public static DiskBlocks scan(Path disk) throws IOException {
        var blocks = new ArrayList<Block>();
        try (var ch = FileChannel.open(disk)) {
            long size = ch.size();
            var buf = ByteBuffer.allocate(BLOCK_SIZE);
            for (long index = 0; index * BLOCK_SIZE < size; index++) {
                read(ch, index, buf);
                if (!allZero(buf.array())) blocks.add(new Block(index, base64(sha256().digest(buf.array()))));
            }
            return new DiskBlocks(disk, size, blocks);
        }
    }

    /** The bytes of block {@code index} (a short last block is padded with zeros). */
    public byte[] read(long index) throws IOException {
        try (var ch = FileChannel.open(disk)) {
            var buf = ByteBuffer.allocate(BLOCK_SIZE);
            read(ch, index, buf);
            return buf.array();
        }
    }

    /** The volume size the snapshot needs, in whole GiB (at least 1). */
    public int volumeGib() {
        return (int) Math.max(1, (bytes + GIB - 1) / GIB);
    }

    /** The bytes that go over the network. */
    public long uploadBytes() {
        return (long) blocks.size() * BLOCK_SIZE;
    }

    /** The blocks skipped as all zeros. */
    public long zeroBlocks() {
        return (bytes + BLOCK_SIZE - 1) / BLOCK_SIZE - blocks.size();
    }

    /** The snapshot's checksum: SHA-256 over the blocks' raw digests in index order, base64. */
    public String aggregateSha256() {
        var md = sha256();
        for (var b : blocks) md.update(Base64.getDecoder().decode(b.sha256()));
        return base64(md.digest());
    }

    private static void read(FileChannel ch, long index, ByteBuffer buf) throws IOException {
        buf.clear();
        long at = index * BLOCK_SIZE;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) break;
        }
        while (buf.hasRemaining()) buf.put((byte) 0);
    }

    private static boolean allZero(byte[] b) {
        var longs = ByteBuffer.wrap(b).asLongBuffer();
        while (longs.hasRemaining()) if (longs.get() != 0) return false;
        return true;
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
