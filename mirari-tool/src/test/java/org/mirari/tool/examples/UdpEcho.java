package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Asks a UDP echo app at the address it says it bound, and checks the answer. On host sockets an
 * app binds the host's interface (its line says {@code /192.0.2.2:7007}), which may not be the
 * loopback; a wildcard address is asked on the loopback.
 */
final class UdpEcho {
    private UdpEcho() {}

    /**
     * {@code line} is the app's {@code <prefix>/<host>:<port>[ more]} line; the echo must send back
     * what it is sent on {@code port}, within 5 s.
     */
    static void answers(String line, String prefix, int port) throws Exception {
        var rest = line.substring(line.indexOf(prefix) + prefix.length()).strip();
        var bound = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
        var host = bound.substring(bound.indexOf('/') + 1, bound.lastIndexOf(':'));
        var to = host.equals("0.0.0.0") || host.equals("[::]")
                ? InetAddress.getLoopbackAddress()
                : InetAddress.getByName(host);
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            var payload = "are you there?".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(payload, payload.length, to, port));
            var reply = new DatagramPacket(new byte[100], 100);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("are you there?");
        }
    }
}
