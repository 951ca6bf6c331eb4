package org.mirari.net.dhcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.net.wire.DhcpMessage;
import org.mirari.net.wire.DhcpOption;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.MalformedPacketException;

/**
 * Answers DHCP (RFC 2131 section 4.3) for exactly one client MAC with one fixed address: OFFER for
 * DISCOVER; ACK for a REQUEST of that address (selecting, renewing or rebinding); NAK for a REQUEST
 * of any other; nothing for other clients, so it can share a network with a real server. The
 * decision is a pure function ({@link #answer}); {@link #main} runs it on a host socket on port 67
 * and sends replies to the tap subnet's broadcast address, which reaches a client without an
 * address on that link only.
 *
 * @param server the server's own address (its identifier, and the router given out)
 * @param leaseSeconds the lease time given out; T1 and T2 are left to their defaults (0.5, 0.875)
 */
public record DhcpResponder(
        Ipv4Address server,
        MacAddress client,
        Ipv4Address address,
        Ipv4Address netmask,
        Optional<Ipv4Address> router,
        long leaseSeconds) {

    /** The reply to {@code request}, if any. */
    public Optional<DhcpMessage> answer(DhcpMessage request) {
        if (request.op() != DhcpMessage.BOOTREQUEST || !request.chaddr().equals(client)) return Optional.empty();
        return switch (request.messageType()) {
            case DhcpMessage.DISCOVER -> Optional.of(reply(request, DhcpMessage.OFFER));
            case DhcpMessage.REQUEST -> {
                var serverId = request.addressOption(DhcpOption.SERVER_ID);
                if (serverId.isPresent() && !serverId.get().equals(server))
                    yield Optional.empty(); // chose another server
                var wanted = request.addressOption(DhcpOption.REQUESTED_IP).orElse(request.ciaddr());
                yield Optional.of(reply(request, wanted.equals(address) ? DhcpMessage.ACK : DhcpMessage.NAK));
            }
            default -> Optional.empty(); // DECLINE, RELEASE, INFORM: nothing to say
        };
    }

    private DhcpMessage reply(DhcpMessage req, int type) {
        var opts = new ArrayList<DhcpOption>();
        opts.add(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type));
        opts.add(DhcpOption.ofAddress(DhcpOption.SERVER_ID, server));
        if (type != DhcpMessage.NAK) {
            opts.add(DhcpOption.ofInt(DhcpOption.LEASE_TIME, (int) leaseSeconds));
            opts.add(DhcpOption.ofAddress(DhcpOption.SUBNET_MASK, netmask));
            router.ifPresent(r -> opts.add(DhcpOption.ofAddress(DhcpOption.ROUTER, r)));
        }
        var yiaddr = type == DhcpMessage.NAK ? Ipv4Address.ANY : address;
        return new DhcpMessage(
                DhcpMessage.BOOTREPLY,
                req.xid(),
                0,
                req.broadcast(),
                Ipv4Address.ANY,
                yiaddr,
                Ipv4Address.ANY,
                req.giaddr(),
                req.chaddr(),
                opts);
    }

    /** The subnet's directed broadcast address. */
    public Ipv4Address subnetBroadcast() {
        return new Ipv4Address(server.bits() | ~netmask.bits());
    }

    /**
     * {@code DhcpResponder SERVER/PREFIX CLIENT-MAC ADDRESS [LEASE-SECONDS]}: serves until killed.
     * Needs the right to bind port 67.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: DhcpResponder SERVER/PREFIX CLIENT-MAC ADDRESS [LEASE-SECONDS]");
            System.exit(2);
        }
        var sp = args[0].split("/");
        var server = Ipv4Address.parse(sp[0]);
        var mask = Ipv4Address.netmask(sp.length > 1 ? Integer.parseInt(sp[1]) : 24);
        var responder = new DhcpResponder(
                server,
                MacAddress.parse(args[1]),
                Ipv4Address.parse(args[2]),
                mask,
                Optional.of(server),
                args.length > 3 ? Long.parseLong(args[3]) : 3600);
        serve(responder, List.of(() -> {
            System.out.println(
                    "dhcp-responder: serving " + responder.address() + " to " + responder.client() + " on port 67");
            System.out.flush();
        }));
    }

    static void serve(DhcpResponder responder, List<Runnable> onBound) throws IOException {
        try (var ch = DatagramChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            ch.bind(new InetSocketAddress(DhcpMessage.SERVER_PORT));
            onBound.forEach(Runnable::run);
            var to = new InetSocketAddress(responder.subnetBroadcast().toInet(), DhcpMessage.CLIENT_PORT);
            var buf = ByteBuffer.allocate(1500);
            while (true) {
                buf.clear();
                ch.receive(buf);
                try {
                    var reply = responder.answer(DhcpMessage.parse(buf.flip()));
                    if (reply.isPresent()) ch.send(reply.get().toBuffer(), to);
                } catch (MalformedPacketException e) {
                    // not DHCP: ignore
                }
            }
        }
    }
}
