package org.mirari.tool.scaffold;

/**
 * The text of a new app's files. The conf lists every key of the config language in the seed's
 * manner (a comment saying what it does, then the key, commented out unless the entry kind needs
 * it); a key added to {@link org.mirari.tool.config.Key} later and not described here still gets
 * a line, so the conf never falls behind the language.
 */
final class Templates {
    private Templates() {}

    static String conf(Scaffold.Kind kind, String name, String mainLine) {
        var http = kind == Scaffold.Kind.HTTP;
        var ip = kind == Scaffold.Kind.IP;
        var text = """
                # %1$s: a Mirari app, made by mirari init. Run it: mirari run (in this directory)
                # Lines starting with # are comments: every key Mirari knows is below, those not set
                # commented out with their default or an example. The README's "Config reference" says more.

                # The app's name (mir-<name>, <name>.lock, <name>.xl); default: this file's base name.
                # name: %1$s

                # Main function: exactly one main-* key.
                # main-http: C.m  is static Response m(Request), and Mirari runs the HTTP server;
                # main-ip: C.m    is static void m(Network): the app does its own networking with JDK channels;
                # main-noip: C.m  is static void m(), with no network.
                %2$s

                # IP configuration (boot-time: mirari run --set ip-address=10.0.0.9 needs no rebuild).
                # DHCP configures the interface (--unix and VMs); the static keys are then ignored.
                # ip-use-dhcp: false
                %3$sip-address: 10.0.0.2
                %3$sip-netmask: 255.255.255.0
                %3$sip-gateway: 10.0.0.1
                # The DNS server of the app's own stack (--unix); default: the DHCP lease's.
                # dns: 10.0.0.1

                # HTTP configuration (boot-time; main-http only). The port, 1-65535, and the address to
                # bind (* for every address).
                %4$shttp-port: 8080
                %4$shttp-address: *

                # Filesystem: each fs-<store> directory (relative to this file) becomes the read-only
                # key-value store <store> in the app, Mirari.store("<store>"), packed at configure time.
                # fs-static: files
                # Stores whose symbolic links may point outside their directory.
                # links-outside: static

                # Dependencies: Maven coordinates group:artifact:version, resolved with their checksums
                # and locked in %1$s.lock (commit it).
                # packages: org.apache.commons:commons-text:1.12.0
                # JDK modules the VM image's runtime needs beyond what the class analysis finds
                # (reflection); -module leaves one out.
                # depends: java.sql

                # The JDK to compile with and link images from (a feature version, 25 or newer, or a JDK
                # home), optionally +socket, +unix, +qemu or +xen, which wins over the command line's switch.
                # compiler: 25

                # Options for the app's JVM (space-separated).
                # jvm-options: -Xmx64m -XX:+UseSerialGC

                # Micro-VM (--qemu, --xen): memory (MiB, or with M or G) and the Linux kernel (default:
                # Debian's linux-image-cloud-amd64, fetched once into a cache).
                # vm-memory: 256M
                # vm-kernel: /boot/vmlinuz-6.1.0-cloud-amd64

                # --qemu: restore the VM from a snapshot taken once the app listened (auto), boot cold
                # every time (off), or take a new snapshot (refresh).
                # snapshot: auto

                # XL parameters, copied into %1$s.xl for mirari run --xen.
                # xl-memory: 256
                # xl-on_crash: preserve
                # xl-vif: [ 'mac=00:16:3E:74:34:32' ]
                """.formatted(name, mainLine, ip ? "" : "# ", http ? "" : "# ");
        var missing = Scaffold.unmentioned(text);
        if (missing.isEmpty()) return text;
        var b = new StringBuilder(text).append("\n# More keys (the README's \"Config reference\" describes them).\n");
        missing.forEach(k -> b.append("# ")
                .append(k.spelling())
                .append(k.isPrefix() ? "<name>" : "")
                .append(":\n"));
        return b.toString();
    }

    static String source(Scaffold.Kind kind, String name) {
        return switch (kind) {
            case HTTP -> """
                    import org.mirari.runtime.http.Request;
                    import org.mirari.runtime.http.Response;

                    /** Answers every HTTP request (main-http: Dispatch.main). */
                    final class Dispatch {
                        private Dispatch() {}

                        static Response main(Request request) {
                            return Response.ok("Hello from %s! You asked for " + request.path() + "\\n");
                        }
                    }
                    """.formatted(name);
            case IP -> """
                    import java.net.InetAddress;
                    import java.net.InetSocketAddress;
                    import java.net.NetworkInterface;
                    import java.nio.ByteBuffer;
                    import java.nio.channels.DatagramChannel;
                    import org.mirari.runtime.net.Network;

                    /**
                     * Echoes UDP datagrams (RFC 862) on port 7007, or ECHO_PORT (main-ip: Echo.main), with plain
                     * JDK channels: the same code runs on the host's sockets (--socket) and on Mirari's own stack
                     * (--unix).
                     */
                    final class Echo {
                        private Echo() {}

                        static void main(Network network) throws Exception {
                            InetAddress address = network.iface().address();
                            // On --socket the configured address is usually not one of the host's: use them all.
                            if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null)
                                address = InetAddress.getByName("0.0.0.0");
                            try (var channel = DatagramChannel.open()) {
                                int port = Integer.parseInt(System.getenv().getOrDefault("ECHO_PORT", "7007"));
                                channel.bind(new InetSocketAddress(address, port));
                                System.out.println("%s: echoing UDP on " + channel.getLocalAddress());
                                var buffer = ByteBuffer.allocate(65_535);
                                while (true) {
                                    buffer.clear();
                                    var from = channel.receive(buffer);
                                    buffer.flip();
                                    channel.send(buffer, from);
                                }
                            }
                        }
                    }
                    """.formatted(name);
            case NOIP -> """
                    /** Runs without a network (main-noip: Noip.main): prints a line and ends. */
                    final class Noip {
                        private Noip() {}

                        static void main() {
                            System.out.println("Hello from %s!");
                        }
                    }
                    """.formatted(name);
        };
    }

    static String gitignore(String name) {
        return """
                # What Mirari generates (mirari clean removes it); keep %1$s.lock under version control.
                .mirari/
                Main.java
                pom.xml
                mir-%1$s
                mir-%1$s.vmlinuz
                mir-%1$s.initrd
                %1$s.xl
                """.formatted(name);
    }
}
