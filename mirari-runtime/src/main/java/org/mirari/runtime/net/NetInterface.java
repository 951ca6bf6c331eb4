package org.mirari.runtime.net;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * The app's single configured network interface.
 *
 * @param name     the device name ({@code tap0}, {@code eth0}, or the host's for {@code --socket})
 * @param mac      the MAC address, {@code 00:16:3e:..}, or empty when the host owns the device
 * @param address  the IPv4 address
 * @param netmask  the IPv4 netmask
 * @param gateway  the default gateway, if any
 */
public record NetInterface(
        String name, String mac, Inet4Address address, Inet4Address netmask, Optional<Inet4Address> gateway) {}
