package org.mirari.net.device;

/**
 * What a device knows about the frame it just received beyond its bytes, filled in by
 * {@link NetDevice#receive(java.nio.ByteBuffer, RxStatus)}. Mutable and reused by its one caller
 * (the stack's receive loop), so that receiving allocates nothing per frame.
 */
public final class RxStatus {
    private boolean checksumValid;

    /**
     * True when the frame's UDP or TCP checksum needs no checking: the kernel said so
     * ({@code VIRTIO_NET_HDR_F_DATA_VALID}), or it left the checksum partial because the data was
     * made on this host and never crossed a wire ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}, Linux's
     * {@code CHECKSUM_PARTIAL}, which Linux's own receive path also takes as verified). In the second
     * case the checksum field holds only the pseudo-header's sum, so whoever reads the frame must not
     * check it.
     */
    public boolean checksumValid() {
        return checksumValid;
    }

    /** Sets what {@link #checksumValid()} says; devices call it with each frame. */
    public void checksumValid(boolean valid) {
        this.checksumValid = valid;
    }
}
