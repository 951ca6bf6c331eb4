package org.mirari.tool.uefi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A unified kernel image: an EFI stub (systemd's {@code linuxx64.efi.stub}) with sections added
 * that the stub reads at boot, {@code .osrel}, {@code .cmdline}, {@code .linux} (a kernel with an
 * EFI stub: the bzImage) and {@code .initrd}. The firmware starts the stub; the stub starts the
 * kernel with that initrd and command line. What {@code objcopy --add-section} does, in Java,
 * because objcopy stamps the PE header with the current time (binutils 2.40 ignores
 * {@code SOURCE_DATE_EPOCH} there), and the image must be reproducible.
 *
 * <p>Format: Microsoft's PE/COFF specification (the COFF file header, the PE32+ optional header
 * and the section table); sections go after the stub's last byte, each aligned to the file
 * alignment on disk and to a 4 KiB page in memory, in the order given.
 */
public final class UnifiedKernelImage {
    /** One section to add: a name of at most 8 ASCII characters, and its bytes. */
    public record Section(String name, byte[] data) {
        public Section {
            if (name.isEmpty()
                    || name.length() > 8
                    || !StandardCharsets.US_ASCII.newEncoder().canEncode(name))
                throw new IllegalArgumentException("a PE section name is 1-8 ASCII characters: " + name);
        }
    }

    /** IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ. */
    private static final int DATA_READ = 0x40000040;

    private static final int SECTION_HEADER = 40;
    private static final int PAGE = 4096;

    private UnifiedKernelImage() {}

    /**
     * The stub with {@code sections} added.
     *
     * @throws IllegalArgumentException when {@code stub} is not a PE32+ image or has no room left in
     *     its headers for the new section headers (the message says which)
     */
    public static byte[] of(byte[] stub, List<Section> sections) {
        var in = ByteBuffer.wrap(stub).order(ByteOrder.LITTLE_ENDIAN);
        if (stub.length < 0x40 || in.getShort(0) != 0x5a4d)
            throw new IllegalArgumentException("not a PE image (no MZ)");
        int pe = in.getInt(0x3c);
        if (pe < 0 || pe + 24 > stub.length || in.getInt(pe) != 0x00004550)
            throw new IllegalArgumentException("not a PE image (no PE signature)");
        int coff = pe + 4;
        int count = Short.toUnsignedInt(in.getShort(coff + 2));
        int optSize = Short.toUnsignedInt(in.getShort(coff + 16));
        int opt = coff + 20;
        if (opt + 112 > stub.length || in.getShort(opt) != 0x20b)
            throw new IllegalArgumentException("not a PE32+ (64-bit) image");
        int sectionAlign = in.getInt(opt + 32);
        int fileAlign = in.getInt(opt + 36);
        int headersSize = in.getInt(opt + 60);
        if (!powerOfTwo(sectionAlign) || !powerOfTwo(fileAlign) || fileAlign > (1 << 16) || sectionAlign > (1 << 20))
            throw new IllegalArgumentException(
                    "the stub's alignments are not powers of two (" + sectionAlign + ", " + fileAlign + ")");
        long table = (long) opt + optSize;
        if (table + (long) count * SECTION_HEADER > stub.length || headersSize < 0)
            throw new IllegalArgumentException("the stub's section table runs past its end");
        int firstRaw = Integer.MAX_VALUE;
        long imageEnd = in.getInt(opt + 56);
        for (int i = 0; i < count; i++) {
            int h = (int) table + i * SECTION_HEADER;
            int raw = in.getInt(h + 20);
            if (raw != 0) firstRaw = Math.min(firstRaw, raw);
            imageEnd = Math.max(imageEnd, Integer.toUnsignedLong(in.getInt(h + 12)) + in.getInt(h + 8));
        }
        long tableEnd = table + (long) (count + sections.size()) * SECTION_HEADER;
        if (tableEnd > Math.min(headersSize, firstRaw) || tableEnd > stub.length)
            throw new IllegalArgumentException("the stub's headers have no room for " + sections.size()
                    + " more section headers (" + tableEnd + " > " + Math.min(headersSize, firstRaw) + " bytes)");

        long size = align(stub.length, fileAlign);
        for (var s : sections) size += align(s.data().length, fileAlign);
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("the image would exceed 2 GiB");
        byte[] out = Arrays.copyOf(stub, (int) size);
        var o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long raw = align(stub.length, fileAlign);
        long va = align(imageEnd, Math.max(PAGE, sectionAlign));
        long end = va;
        for (var s : sections) end = align(end + s.data().length, Math.max(PAGE, sectionAlign));
        if (end > 0xFFFFFFFFL) throw new IllegalArgumentException("the image would pass 4 GiB of address space");
        int initialized = o.getInt(opt + 8);
        for (int i = 0; i < sections.size(); i++) {
            var s = sections.get(i);
            int h = (int) table + (count + i) * SECTION_HEADER;
            byte[] name = s.name().getBytes(StandardCharsets.US_ASCII);
            Arrays.fill(out, h, h + SECTION_HEADER, (byte) 0);
            System.arraycopy(name, 0, out, h, name.length);
            int rawSize = (int) align(s.data().length, fileAlign);
            o.putInt(h + 8, s.data().length); // VirtualSize
            o.putInt(h + 12, (int) va); // VirtualAddress
            o.putInt(h + 16, rawSize); // SizeOfRawData
            o.putInt(h + 20, (int) raw); // PointerToRawData
            o.putInt(h + 36, DATA_READ);
            System.arraycopy(s.data(), 0, out, (int) raw, s.data().length);
            initialized += rawSize;
            raw += rawSize;
            va = align(va + s.data().length, Math.max(PAGE, sectionAlign));
        }
        o.putShort(coff + 2, (short) (count + sections.size()));
        o.putInt(coff + 4, 0); // TimeDateStamp: fixed, for reproducibility
        o.putInt(opt + 8, initialized); // SizeOfInitializedData
        o.putInt(opt + 56, (int) align(va, sectionAlign)); // SizeOfImage
        o.putInt(opt + 64, 0);
        o.putInt(opt + 64, checksum(out, opt + 64));
        return out;
    }

    /**
     * The PE image checksum (the algorithm of Windows' {@code CheckSumMappedFile}): the file summed
     * as 16-bit little-endian words with the carry folded back in, the checksum field counted as
     * zero, plus the file's length.
     */
    static int checksum(byte[] file, int checksumOffset) {
        long sum = 0;
        for (int i = 0; i + 1 < file.length; i += 2) {
            if (i == checksumOffset || i == checksumOffset + 2) continue;
            sum += (file[i] & 0xff) | ((file[i + 1] & 0xff) << 8);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        if ((file.length & 1) != 0) {
            sum += file[file.length - 1] & 0xff;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (sum + file.length);
    }

    private static boolean powerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    static long align(long n, long to) {
        return (n + to - 1) / to * to;
    }
}
