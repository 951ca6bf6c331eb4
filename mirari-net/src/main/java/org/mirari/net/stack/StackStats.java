package org.mirari.net.stack;

/**
 * Counters and table sizes by layer, in the spirit of {@code netstat -s}: each layer has its own
 * record, so adding a counter changes one small constructor.
 */
public record StackStats(Link link, Arp arp, Ip ip, Icmp icmp, Udp udp, Tcp tcp) {
    public record Link(long framesIn, long framesOut, long malformed, long ignored) {}

    public record Arp(int entries, int queued, long dropped) {}
    /** {@code loopbackDropped}: packets to our own address dropped because the loopback queue was full. */
    public record Ip(
            long packetsIn, long malformed, long ignored, int reassembling, int loopbackQueued, long loopbackDropped) {}

    public record Icmp(long errorsIn, long errorsDelivered, long limited) {}

    public record Udp(int sockets, long noPort, long inErrors) {}
    /**
     * @param connections every connection in the table, TIME-WAIT and SYN-RECEIVED included
     * @param ports       local ports held by TCP sockets that bound or connected (not accepted ones)
     */
    public record Tcp(
            int connections,
            int timeWait,
            int listeners,
            int synQueued,
            int acceptQueued,
            int ports,
            int timers,
            long activeOpens,
            long passiveOpens,
            long segmentsIn,
            long segmentsOut,
            long retransmits,
            long resetsOut,
            long challengeAcks,
            long listenDrops,
            long malformed) {}

    // shorthands the tests use most
    public long malformed() {
        return link.malformed() + ip.malformed() + udp.inErrors() + tcp.malformed();
    }

    public int udpSockets() {
        return udp.sockets();
    }

    public int arpEntries() {
        return arp.entries();
    }

    public int arpQueued() {
        return arp.queued();
    }

    public long arpDropped() {
        return arp.dropped();
    }

    public int reassembling() {
        return ip.reassembling();
    }

    public long icmpLimited() {
        return icmp.limited();
    }
}
