package org.mirari.net.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mirari.net.wire.MacAddress;

/**
 * A Linux tap device opened by name through {@code /dev/net/tun} with the foreign function API
 * (no JNI): {@code open}, {@code ioctl(TUNSETIFF)} with {@code IFF_TAP | IFF_NO_PI}, then whole
 * Ethernet frames with {@code read}/{@code write}. The fd is non-blocking; {@link #await} uses
 * {@code poll(2)} on it and on an {@code eventfd} that {@link #wakeup()} and {@link #close()} signal.
 * The stack gets its own MAC (the kernel's side of the tap has another).
 *
 * <p>With {@link TapOffload} asking for it, the tap is opened with {@code IFF_VNET_HDR}: every frame
 * then carries a 10-byte {@code virtio_net_hdr} (in native byte order, as legacy virtio on a
 * little-endian host), through which {@link #send(ByteBuffer, TxOffload)} hands the kernel partial
 * checksums and 64 KiB TCP super-segments, and {@code TUNSETOFFLOAD} lets the kernel hand us the same
 * ({@code TUN_F_CSUM}, {@code TUN_F_TSO4}). Received partial checksums are completed here for
 * {@link #receive(ByteBuffer)}; {@link #receive(ByteBuffer, RxStatus)} leaves them and says the
 * checksum needs no check. Where the kernel refuses a flag, the tap falls back to fewer
 * (down to plain frames) and {@link #offloads()} says what it got.
 */
public final class TapDevice implements NetDevice {
    private static final int O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    private static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int) on x86, arm, riscv
    private static final long TUNGETFEATURES = 0x800454cfL; // _IOR('T', 207, unsigned int)
    private static final long TUNSETOFFLOAD = 0x400454d0L; // _IOW('T', 208, unsigned int): the flags by value
    private static final long TUNSETPERSIST = 0x400454cbL; // _IOW('T', 203, int): the flag by value
    private static final short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    private static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02;
    /** struct virtio_net_hdr (include/uapi/linux/virtio_net.h), the tap's default vnet header size. */
    static final int VNET_HDR_LEN = 10;

    private static final int VNET_F_NEEDS_CSUM = 1, VNET_F_DATA_VALID = 2, VNET_GSO_TCPV4 = 1;
    private static final int BUFFER = VNET_HDR_LEN + Offloads.ETHERNET_HEADER + Offloads.MAX_IPV4 + 64;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    private static final short POLLIN = 1;
    private static final int EAGAIN = 11, EINTR = 4, EPERM = 1, EACCES = 13, EBUSY = 16, ENOENT = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN =
            downcall("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), 2);
    private static final MethodHandle IOCTL = downcall(
            "ioctl",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            2);
    private static final MethodHandle IOCTL_VALUE = downcall(
            "ioctl",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            2);
    private static final MethodHandle READ = downcall(
            "read",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            -1);
    private static final MethodHandle WRITE = downcall(
            "write",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            -1);
    private static final MethodHandle POLL = downcall(
            "poll",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            -1);
    private static final MethodHandle EVENTFD = downcall(
            "eventfd", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), -1);
    private static final MethodHandle CLOSE =
            downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), -1);

    private final String name;
    private final MacAddress mac;
    private final int mtu;
    private final int fd, eventFd;
    private final int hdr; // VNET_HDR_LEN with IFF_VNET_HDR, else 0
    private final Offloads offloads;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rxBuf, txBuf, pollFds, eventBuf, rxState, txState, pollState;
    private volatile boolean closed;

    private static MethodHandle downcall(String name, FunctionDescriptor fd, int firstVariadic) {
        var symbol = LINKER.defaultLookup().find(name).orElseThrow();
        var capture = Linker.Option.captureCallState("errno");
        return firstVariadic >= 0
                ? LINKER.downcallHandle(symbol, fd, capture, Linker.Option.firstVariadicArg(firstVariadic))
                : LINKER.downcallHandle(symbol, fd, capture);
    }

    private TapDevice(String name, MacAddress mac, int mtu, int fd, int eventFd, boolean vnet, int kernelOffloads) {
        this.name = name;
        this.mac = mac;
        this.mtu = mtu;
        this.fd = fd;
        this.eventFd = eventFd;
        this.hdr = vnet ? VNET_HDR_LEN : 0;
        boolean rxLarge = (kernelOffloads & TUN_F_TSO4) != 0;
        this.offloads = vnet
                ? new Offloads(true, true, rxLarge, Offloads.ETHERNET_HEADER + Offloads.MAX_IPV4)
                : Offloads.none(mtu);
        rxBuf = arena.allocate(BUFFER);
        txBuf = arena.allocate(BUFFER);
        pollFds = arena.allocate(16, 8);
        eventBuf = arena.allocate(8, 8);
        rxState = arena.allocate(CALL_STATE);
        txState = arena.allocate(CALL_STATE);
        pollState = arena.allocate(CALL_STATE);
    }

    /**
     * Opens (creating if the caller may) the tap called {@code name}. A persistent tap made for the
     * user with {@code ip tuntap add NAME mode tap user USER} opens without root.
     *
     * @throws TapException with errno and the fix when the tap cannot be opened
     */
    public static TapDevice open(String name, MacAddress mac) throws TapException {
        return open(name, mac, TapOffload.NONE);
    }

    /**
     * As {@link #open(String, MacAddress)}, asking for {@code wanted} offloads; the tap takes what the
     * kernel grants ({@link #offloads()}) and falls back to plain frames, never fails, for the rest.
     */
    public static TapDevice open(String name, MacAddress mac, TapOffload wanted) throws TapException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ)
            throw new TapException(name, 0, "tap name \"" + name + "\" must have 1-15 characters");
        try (var a = Arena.ofConfined()) {
            var state = a.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new TapException(
                        name,
                        errno,
                        switch (errno) {
                            case ENOENT -> "/dev/net/tun does not exist; load the tun module (modprobe tun)";
                            case EPERM, EACCES ->
                                "no permission to open /dev/net/tun; run as root, or allow users to open it"
                                        + " (sudo chmod 0666 /dev/net/tun, the default on most distributions) and create a persistent tap"
                                        + " for your user: " + grantCommands(name);
                            default -> "cannot open /dev/net/tun (errno " + errno + ")";
                        });
            }
            var ifr = a.allocate(IFREQ_SIZE);
            MemorySegment.copy(nameBytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            boolean vnet = wanted.vnetHeader();
            if (vnet) {
                var features = a.allocate(ValueLayout.JAVA_INT);
                vnet = (int) IOCTL.invokeExact(state, fd, TUNGETFEATURES, features) == 0
                        && (features.get(ValueLayout.JAVA_INT, 0) & IFF_VNET_HDR) != 0;
            }
            ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0)));
            int rc = (int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifr);
            if (rc < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                closeFd(fd);
                throw new TapException(
                        name,
                        errno,
                        switch (errno) {
                            case EPERM, EACCES ->
                                "no permission to create or attach tap " + name + "; " + grantCommands(name);
                            case EBUSY ->
                                "tap " + name
                                        + " is in use by another process (or is a tun device); choose another name";
                            default -> "TUNSETIFF on " + name + " failed (errno " + errno + ")";
                        });
            }
            int efd = (int) EVENTFD.invokeExact(state, 0, O_NONBLOCK | O_CLOEXEC);
            if (efd < 0) {
                closeFd(fd);
                throw new TapException(name, (int) ERRNO.get(state, 0L), "eventfd failed");
            }
            int granted = 0;
            if (vnet) {
                // Ask for everything wanted, then for less: an old kernel refuses TSO but takes checksums.
                int want = (wanted.checksum() ? TUN_F_CSUM : 0) | (wanted.tso4() ? TUN_F_CSUM | TUN_F_TSO4 : 0);
                for (int flags : new int[] {want, want & TUN_F_CSUM, 0}) {
                    if (flags == 0 || (int) IOCTL_VALUE.invokeExact(state, fd, TUNSETOFFLOAD, (long) flags) == 0) {
                        granted = flags;
                        break;
                    }
                }
            }
            return new TapDevice(name, mac, readMtu(name), fd, efd, vnet, granted);
        } catch (TapException e) {
            throw e;
        } catch (Throwable t) {
            throw new TapException(name, 0, "native call failed: " + t);
        }
    }

    /** The commands that let a non-root user open tap {@code name}. */
    public static String grantCommands(String name) {
        return "sudo ip tuntap add dev " + name + " mode tap user $(id -un) && sudo ip link set " + name + " up";
    }

    private static int readMtu(String name) {
        try {
            return Integer.parseInt(
                    Files.readString(Path.of("/sys/class/net", name, "mtu")).trim());
        } catch (IOException | RuntimeException e) {
            return 1500; // the tap default
        }
    }

    private static void closeFd(int fd) {
        try (var a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(a.allocate(CALL_STATE), fd);
        } catch (Throwable ignored) {
        }
    }

    public String name() {
        return name;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /**
     * Clears the tap's persistent flag ({@code TUNSETPERSIST 0}), so that the kernel removes the
     * device when this, its last open file, closes, however the process ends (even by SIGKILL).
     * {@code mirari run --unix} asks for it on a tap the run created ({@code -Dmirari.tap.transient=true}):
     * the tap then disappears with its app.
     *
     * @throws TapException when the kernel refuses
     */
    public void makeTransient() throws TapException {
        try (var a = Arena.ofConfined()) {
            var state = a.allocate(CALL_STATE);
            if ((int) IOCTL_VALUE.invokeExact(state, fd, TUNSETPERSIST, 0L) < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new TapException(name, errno, "TUNSETPERSIST 0 on " + name + " failed (errno " + errno + ")");
            }
        } catch (TapException e) {
            throw e;
        } catch (Throwable t) {
            throw new TapException(name, 0, "native call failed: " + t);
        }
    }

    @Override
    public Offloads offloads() {
        return offloads;
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        return receive(dst, null);
    }

    /**
     * With the vnet header: a frame the kernel marked {@code DATA_VALID} or left partial
     * ({@code NEEDS_CSUM}) is reported valid in {@code status} and, partial, handed over as it is;
     * without {@code status} (the plain {@link #receive(ByteBuffer)}) a partial checksum is completed
     * here, so that every frame is whole.
     */
    @Override
    public synchronized int receive(ByteBuffer dst, RxStatus status) throws IOException {
        if (status != null) status.checksumValid(false);
        if (closed) throw new IOException("tap " + name + " is closed");
        long n;
        try {
            n = (long) READ.invokeExact(rxState, fd, rxBuf, rxBuf.byteSize());
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (n < 0) {
            int errno = (int) ERRNO.get(rxState, 0L);
            if (errno == EAGAIN || errno == EINTR) return -1;
            throw new IOException("read from tap " + name + " failed (errno " + errno + ")");
        }
        if (n < hdr) return -1; // cannot happen: the kernel writes the header with every frame
        int len = (int) Math.min(n - hdr, dst.remaining());
        int start = dst.position();
        dst.put(rxBuf.asSlice(hdr, len).asByteBuffer());
        int vnetFlags = hdr > 0 ? rxBuf.get(ValueLayout.JAVA_BYTE, 0) : 0;
        if (status != null && (vnetFlags & (VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID)) != 0) {
            status.checksumValid(true);
            return len;
        }
        if ((vnetFlags & VNET_F_NEEDS_CSUM) != 0) {
            // The kernel left the checksum partial (a local sender, CHECKSUM_PARTIAL); finish it here.
            int csumStart = rxBuf.get(ValueLayout.JAVA_SHORT_UNALIGNED, 6) & 0xffff;
            int csumOffset = rxBuf.get(ValueLayout.JAVA_SHORT_UNALIGNED, 8) & 0xffff;
            if (csumStart + csumOffset + 2 <= len)
                SoftwareOffload.completeChecksum(
                        dst.duplicate().position(start).limit(start + len).slice(), csumStart, csumOffset);
        }
        return len;
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
        send(frame, TxOffload.NONE);
    }

    @Override
    public void send(ByteBuffer frame, TxOffload offload) throws IOException {
        if (hdr == 0 && !offload.isNone()) {
            SoftwareOffload.finish(frame, offload, this::send); // a plain tap: finish it here
            return;
        }
        synchronized (txBuf) {
            if (closed) throw new IOException("tap " + name + " is closed");
            int len = frame.remaining();
            if (len > BUFFER - hdr)
                throw new IOException("frame of " + len + " bytes is larger than tap " + name + " takes");
            if (hdr > 0) {
                boolean partial = !offload.isNone();
                txBuf.set(ValueLayout.JAVA_BYTE, 0, (byte) (partial ? VNET_F_NEEDS_CSUM : 0));
                txBuf.set(ValueLayout.JAVA_BYTE, 1, (byte) (offload.isSegmented() ? VNET_GSO_TCPV4 : 0));
                txBuf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2, (short) offload.headerLength());
                txBuf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) offload.segmentSize());
                txBuf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) (partial ? offload.checksumStart() : 0));
                txBuf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 8, (short) (partial ? offload.checksumOffset() : 0));
            }
            txBuf.asSlice(hdr, len).asByteBuffer().put(frame.duplicate());
            long n;
            try {
                n = (long) WRITE.invokeExact(txState, fd, txBuf, (long) (hdr + len));
            } catch (Throwable t) {
                throw new IOException(t);
            }
            if (n < 0) {
                int errno = (int) ERRNO.get(txState, 0L);
                // A full tap queue (EAGAIN) or a down link drops the frame, as a NIC would.
                if (errno != EAGAIN && errno != EINTR && errno != 5 /* EIO: link down */)
                    throw new IOException("write to tap " + name + " failed (errno " + errno + ")");
            }
        }
    }

    @Override
    public void await(long timeoutNanos) throws IOException {
        if (closed) return;
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (timeoutNanos + 999_999) / 1_000_000));
        synchronized (pollFds) {
            pollFds.set(ValueLayout.JAVA_INT, 0, fd);
            pollFds.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollFds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            pollFds.set(ValueLayout.JAVA_INT, 8, eventFd);
            pollFds.set(ValueLayout.JAVA_SHORT, 12, POLLIN);
            pollFds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
            try {
                int rc = (int) POLL.invokeExact(pollState, pollFds, 2L, ms);
                if (rc > 0 && (pollFds.get(ValueLayout.JAVA_SHORT, 14) & POLLIN) != 0) {
                    long ignored = (long) READ.invokeExact(pollState, eventFd, eventBuf, 8L); // drain the wakeup
                }
            } catch (Throwable t) {
                throw new IOException(t);
            }
        }
    }

    @Override
    public void wakeup() {
        if (closed) return;
        synchronized (eventBuf) {
            eventBuf.set(ValueLayout.JAVA_LONG, 0, 1L);
            try (var a = Arena.ofConfined()) {
                long ignored = (long) WRITE.invokeExact(a.allocate(CALL_STATE), eventFd, eventBuf, 8L);
            } catch (Throwable ignored) {
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        wakeup();
        closed = true;
        synchronized (this) {
            synchronized (txBuf) {
                synchronized (pollFds) {
                    closeFd(fd);
                    closeFd(eventFd);
                    arena.close();
                }
            }
        }
    }
}
