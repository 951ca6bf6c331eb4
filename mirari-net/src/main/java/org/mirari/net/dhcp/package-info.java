/**
 * A minimal DHCP server for one client, for {@code mirari run --unix} on machines without dnsmasq:
 * it runs on the host's own sockets beside the tap and leases one fixed address to the app's MAC.
 */
package org.mirari.net.dhcp;
