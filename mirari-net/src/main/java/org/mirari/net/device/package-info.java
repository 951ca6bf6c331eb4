/**
 * Devices move whole Ethernet frames in and out behind the small
 * {@link org.mirari.net.device.NetDevice} interface: the tap (FFM on {@code /dev/net/tun}), an
 * in-memory loopback, a learning virtual switch, and decorators (on
 * {@link org.mirari.net.device.ForwardingDevice}) that inject seeded faults or record pcap. The only layer that touches the operating system. Uses {@code wire} for MACs,
 * checksums and pcap records.
 *
 * <p>Offloads ({@link org.mirari.net.device.Offloads}, {@link org.mirari.net.device.TxOffload}): a
 * sender may hand a device a frame with a partial checksum or a 64 KiB TCP super-segment; a tap with
 * {@code IFF_VNET_HDR} passes both to the kernel in one write, every other device finishes them in
 * software ({@link org.mirari.net.device.SoftwareOffload}). Receiving, a tap with checksum offload
 * says per frame ({@link org.mirari.net.device.RxStatus}) when the checksum needs no check.
 */
package org.mirari.net.device;
