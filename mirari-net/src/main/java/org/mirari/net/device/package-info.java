/**
 * Devices move whole Ethernet frames in and out behind the small
 * {@link org.mirari.net.device.NetDevice} interface: the tap (FFM on {@code /dev/net/tun}), an
 * in-memory loopback, a learning virtual switch, and decorators that inject seeded faults or
 * record pcap. The only layer that touches the operating system. Uses {@code wire} for MACs and
 * pcap records.
 */
package org.mirari.net.device;
