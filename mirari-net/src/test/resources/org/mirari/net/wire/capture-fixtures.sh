#!/usr/bin/env bash
# Captures the Linux traffic the wire tests use as fixtures (fixtures.pcap): ARP, ICMP echo and
# port unreachable, a fragmented echo, UDP, and a DHCP exchange between busybox udhcpc and
# dnsmasq, over a veth pair between two namespaces. Needs root, iproute2, tcpdump, busybox,
# dnsmasq, ethtool. Re-run it to refresh the fixtures; the tests then name frames by their index.
set -euo pipefail
out=${1:-$(dirname "$0")/fixtures.pcap}
a=fxa$$; b=fxb$$
tmp=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip -n $a link add veth0 type veth peer name veth0 netns $b
ip -n $a link set veth0 address 02:00:00:00:00:01; ip -n $b link set veth0 address 02:00:00:00:00:02
# veth leaves UDP checksums to an offload that never runs: turn it off so frames carry real ones
ip netns exec $a ethtool -K veth0 tx off >/dev/null; ip netns exec $b ethtool -K veth0 tx off >/dev/null
ip -n $a addr add 10.99.0.1/24 dev veth0; ip -n $a link set veth0 up; ip -n $b link set veth0 up
ip -n $a link set lo up; ip -n $b link set lo up
ip netns exec $a sysctl -qw net.ipv6.conf.all.disable_ipv6=1; ip netns exec $b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec $a tcpdump -i veth0 -w "$tmp/c.pcap" -U -s 0 2>/dev/null &
sleep 1
ip netns exec $a dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=veth0 --bind-interfaces \
   --dhcp-range=10.99.0.10,10.99.0.20,255.255.255.0,2m --dhcp-leasefile="$tmp/leases" 2>/dev/null &
sleep 0.5
ip netns exec $b busybox udhcpc -i veth0 -n -q -f -s /bin/true >/dev/null 2>&1 || true
ip -n $b addr add 10.99.0.2/24 dev veth0
ip netns exec $b busybox ping -c 1 10.99.0.1 >/dev/null
ip netns exec $b busybox ping -c 1 -s 2000 10.99.0.1 >/dev/null
echo 'mirari' | ip netns exec $b socat - UDP4-SENDTO:10.99.0.1:9999,sourceport=40000 || true
sleep 1
kill %1 2>/dev/null || true; sleep 0.5
cp "$tmp/c.pcap" "$out"
tcpdump -nn -e -r "$out" 2>/dev/null | cat -n
