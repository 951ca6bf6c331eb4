package org.mirari.net.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.mirari.net.NetClock;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.UdpSocket;
import org.mirari.net.wire.DnsMessage;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MalformedPacketException;

/**
 * A DNS stub resolver (RFC 1034 section 5.3.1) for A records over the stack's UDP: it asks each
 * configured server in turn, {@link Settings#attempts} rounds, with a fresh random query ID and a
 * random source port for every query (RFC 5452 section 9.2), and accepts only a response from the
 * server's port 53 to that port, with that ID and the question it asked (section 9.1). CNAME chains
 * are followed within the answer and, when the answer stops at an alias, by asking for the alias,
 * for at most {@link Settings#maxCnameHops} names. NXDOMAIN ends the lookup; SERVFAIL, REFUSED, a
 * truncated answer or silence move on to the next server. Safe for concurrent use: each query has
 * its own socket.
 */
public final class DnsStub {
    /**
     * @param timeout      how long one query waits for its answer
     * @param attempts     rounds through the server list
     * @param maxCnameHops names looked at per lookup, the asked one included
     */
    public record Settings(Duration timeout, int attempts, int maxCnameHops) {
        /** glibc's resolv.conf defaults are 5 s and 2 attempts; a host-local server answers in microseconds. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(2), 2, 8);
    }

    private static final int PORT_TRIES = 16;
    private final NetStack stack;
    private final NetClock clock;
    private final Supplier<List<Ipv4Address>> servers;
    private final RandomGenerator random;
    private final Settings settings;

    public DnsStub(
            NetStack stack,
            NetClock clock,
            Supplier<List<Ipv4Address>> servers,
            RandomGenerator random,
            Settings settings) {
        this.stack = stack;
        this.clock = clock;
        this.servers = servers;
        this.random = random;
        this.settings = settings;
    }

    /** The servers asked now, in order. */
    public List<Ipv4Address> servers() {
        return List.copyOf(servers.get());
    }

    /**
     * The IPv4 addresses of {@code host}, in the server's order.
     *
     * @throws UnknownHostException when the name does not exist, has no A record, is not a valid name,
     *         no server is configured, or none answered; the message says which
     */
    public List<Ipv4Address> lookup(String host) throws UnknownHostException, InterruptedException {
        String name;
        try {
            name = DnsMessage.checkName(host);
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host + ": " + e.getMessage());
        }
        var seen = new HashSet<String>();
        while (seen.size() < settings.maxCnameHops()) {
            seen.add(name);
            var answer = query(host, name);
            // Follow the chain inside the answer: name -> alias -> ... (RFC 1034 3.6.2)
            var current = name;
            boolean moved = true;
            while (moved) {
                moved = false;
                for (var a : answer.answers()) {
                    if (a.name().equals(current) && a.cname().isPresent()) {
                        current = a.cname().get();
                        if (!seen.add(current) || seen.size() > settings.maxCnameHops())
                            throw new UnknownHostException(
                                    host + ": CNAME chain loops or is longer than " + settings.maxCnameHops());
                        moved = true;
                        break;
                    }
                }
            }
            var addresses = new ArrayList<Ipv4Address>();
            for (var a : answer.answers())
                if (a.name().equals(current) && a.address().isPresent())
                    addresses.add(a.address().get());
            if (!addresses.isEmpty()) return addresses;
            if (current.equals(name)) throw new UnknownHostException(host + ": no A record");
            name = current; // the answer stopped at an alias: ask for it
        }
        throw new UnknownHostException(host + ": CNAME chain longer than " + settings.maxCnameHops());
    }

    private DnsMessage query(String host, String name) throws UnknownHostException, InterruptedException {
        var list = servers.get();
        if (list.isEmpty())
            throw new UnknownHostException(
                    host + ": no DNS server (set the dns key, or use a DHCP server that gives one)");
        var problems = new ArrayList<String>();
        for (int round = 0; round < settings.attempts(); round++) {
            for (var server : list) {
                try {
                    var m = ask(server, name);
                    if (m == null) {
                        problems.add(server + " did not answer");
                        continue;
                    }
                    switch (m.rcode()) {
                        case DnsMessage.RCODE_OK -> {
                            if (!m.truncated()) return m;
                            problems.add(server + " sent a truncated answer");
                        }
                        case DnsMessage.RCODE_NXDOMAIN ->
                            throw new UnknownHostException(host + ": no such name (" + server + ")");
                        default -> problems.add(server + " answered with RCODE " + m.rcode());
                    }
                } catch (UnknownHostException e) {
                    throw e; // NXDOMAIN: the name does not exist, whichever server is asked
                } catch (IOException e) {
                    problems.add(server + ": " + e.getMessage());
                }
            }
        }
        throw new UnknownHostException(
                host + ": " + String.join("; ", problems.subList(Math.max(0, problems.size() - 3), problems.size())));
    }

    /** One query to one server; null when no valid answer came within the timeout. */
    private DnsMessage ask(Ipv4Address server, String name) throws IOException, InterruptedException {
        int id = random.nextInt(0x10000);
        try (var socket = openRandomPort()) {
            socket.send(server, DnsMessage.PORT, DnsMessage.query(id, name, DnsMessage.TYPE_A));
            long deadline = clock.nanos() + settings.timeout().toNanos();
            while (true) {
                long left = deadline - clock.nanos();
                if (left <= 0) return null;
                var d = socket.receive(left);
                if (d == null) return null;
                // RFC 5452 9.1: the answer must come from where the question went, and match it.
                if (!d.srcAddress().equals(server) || d.srcPort() != DnsMessage.PORT) continue;
                DnsMessage m;
                try {
                    m = DnsMessage.parse(d.payload());
                } catch (MalformedPacketException e) {
                    continue;
                }
                if (m.id() != id || !m.isResponse() || m.questions().size() != 1) continue;
                var q = m.questions().get(0);
                if (!q.name().equals(name) || q.type() != DnsMessage.TYPE_A || q.klass() != DnsMessage.CLASS_IN)
                    continue;
                return m;
            }
        }
    }

    private UdpSocket openRandomPort() throws IOException {
        for (int i = 0; i < PORT_TRIES; i++) {
            int port =
                    NetStack.EPHEMERAL_FIRST + random.nextInt(NetStack.EPHEMERAL_LAST - NetStack.EPHEMERAL_FIRST + 1);
            try {
                return stack.openUdp(Ipv4Address.ANY, port, clock);
            } catch (BindException taken) {
                // try another
            }
        }
        return stack.openUdp(Ipv4Address.ANY, 0, clock); // the stack's own search, bounded
    }
}
