/**
 * Wire formats: Ethernet II, ARP, IPv4, ICMPv4, UDP and DHCP as parsed records with
 * {@code parse}/{@code emit} over byte buffers at named field offsets, the Internet checksum, and
 * pcap files. Malformed input raises {@link org.mirari.net.wire.MalformedPacketException} and
 * nothing else; unknown protocol numbers are values, not errors. Depends on the JDK only.
 */
package org.mirari.net.wire;
