package org.mirari.net.device;

import java.util.Locale;

/**
 * Which offloads to ask a tap for ({@link TapDevice#open(String, org.mirari.net.wire.MacAddress, TapOffload)}).
 * Written as {@code -Dmirari.tap.offload=LIST} (see {@link #parse}).
 *
 * @param vnetHeader open with {@code IFF_VNET_HDR}: we may hand the kernel partial checksums and TCP
 *                   super-segments (it takes them with no further flag)
 * @param checksum   {@code TUN_F_CSUM}: the kernel may hand us frames with partial checksums instead of
 *                   summing every one it sends us
 * @param tso4       {@code TUN_F_TSO4}: the kernel may hand us TCP data as 64 KiB super-segments
 */
public record TapOffload(boolean vnetHeader, boolean checksum, boolean tso4) {
    /** Plain frames, no virtio header. */
    public static final TapOffload NONE = new TapOffload(false, false, false);
    /** Everything the stack can use. */
    public static final TapOffload ALL = new TapOffload(true, true, true);

    public TapOffload {
        if ((checksum || tso4) && !vnetHeader) throw new IllegalArgumentException("offloads need the vnet header");
        if (tso4 && !checksum)
            throw new IllegalArgumentException("TSO needs checksum offload (the kernel requires it)");
    }

    /**
     * Reads {@code none}, or a comma-separated list of {@code vnet}, {@code csum}, {@code tso4}; each
     * implies the ones before it ({@code tso4} alone means all three), as the kernel requires.
     *
     * @throws IllegalArgumentException naming the word it does not know and the ones it does
     */
    public static TapOffload parse(String text) {
        boolean vnet = false, csum = false, tso4 = false;
        for (var word : text.toLowerCase(Locale.ROOT).split(",")) {
            switch (word.strip()) {
                case "none", "" -> {}
                case "vnet" -> vnet = true;
                case "csum" -> vnet = csum = true;
                case "tso4" -> vnet = csum = tso4 = true;
                default ->
                    throw new IllegalArgumentException("tap offload \"" + word.strip()
                            + "\" is unknown; use none, or a comma-separated list of vnet, csum, tso4");
            }
        }
        return new TapOffload(vnet, csum, tso4);
    }

    @Override
    public String toString() {
        return !vnetHeader ? "none" : tso4 ? "vnet,csum,tso4" : checksum ? "vnet,csum" : "vnet";
    }
}
