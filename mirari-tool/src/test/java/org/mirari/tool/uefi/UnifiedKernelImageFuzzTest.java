package org.mirari.tool.uefi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PE reader of {@link UnifiedKernelImage} on damaged stubs (systemd's real stub with bytes
 * overwritten, or random bytes): it either refuses with an {@link IllegalArgumentException} or
 * returns an image with the four sections added after the stub's bytes; nothing else escapes.
 * {@code JAZZER_FUZZ=1} fuzzes for real; regression mode otherwise.
 */
class UnifiedKernelImageFuzzTest {
    static final byte[] STUB = stub();

    static byte[] stub() {
        try {
            return Files.readAllBytes(UefiDiskTest.STUB);
        } catch (Exception e) {
            return new byte[0];
        }
    }

    static void check(byte[] stub) {
        var sections = List.of(
                new UnifiedKernelImage.Section(".osrel", new byte[] {'I', 'D'}),
                new UnifiedKernelImage.Section(".cmdline", new byte[] {'x'}),
                new UnifiedKernelImage.Section(".linux", new byte[1000]),
                new UnifiedKernelImage.Section(".initrd", new byte[3]));
        byte[] out;
        try {
            out = UnifiedKernelImage.of(stub, sections);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(out.length).isGreaterThan(stub.length);
        var b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int pe = b.getInt(0x3c);
        int before = Short.toUnsignedInt(
                ByteBuffer.wrap(stub).order(ByteOrder.LITTLE_ENDIAN).getShort(pe + 6));
        assertThat(Short.toUnsignedInt(b.getShort(pe + 6))).isEqualTo((before + 4) & 0xffff);
    }

    @FuzzTest(maxDuration = "10s")
    void damagedStubs(FuzzedDataProvider data) {
        if (STUB.length == 0 || data.consumeBoolean()) {
            check(data.consumeRemainingAsBytes());
            return;
        }
        byte[] stub = STUB.clone();
        int n = data.consumeInt(1, 16);
        for (int i = 0; i < n; i++) stub[data.consumeInt(0, 1023)] = data.consumeByte();
        check(stub);
    }

    @Test
    void seededDamage() {
        var random = new java.util.Random(14);
        for (int round = 0; round < 300; round++) {
            byte[] stub = STUB.length == 0 ? new byte[random.nextInt(2048)] : STUB.clone();
            if (STUB.length == 0) random.nextBytes(stub);
            for (int i = 0; i < 1 + random.nextInt(8); i++)
                stub[random.nextInt(Math.min(1024, stub.length))] = (byte) random.nextInt();
            check(stub);
        }
        check(new byte[0]);
        check(new byte[0x40]);
        if (STUB.length > 0) check(STUB);
    }
}
