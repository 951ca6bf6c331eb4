package org.mirari.tool.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every key of the config language. {@code fs-} and {@code xl-} are prefixes: the rest of the key
 * names a store or an xl parameter. List keys accumulate when repeated; the others may appear once.
 */
public enum Key {
    NAME("name", false),
    MAIN_HTTP("main-http", false),
    MAIN_IP("main-ip", false),
    MAIN_NOIP("main-noip", false),
    IP_USE_DHCP("ip-use-dhcp", false),
    IP_ADDRESS("ip-address", false),
    IP_NETMASK("ip-netmask", false),
    IP_GATEWAY("ip-gateway", false),
    DNS("dns", false),
    HTTP_PORT("http-port", false),
    HTTP_ADDRESS("http-address", false),
    HTTPS_PORT("https-port", false),
    TLS_CERTIFICATE("tls-certificate", false),
    TLS_KEY("tls-key", false),
    HTTP_REDIRECT("http-redirect", false),
    FS("fs-", false),
    /** Stores whose symbolic links may point outside their directory (followed deliberately). */
    LINKS_OUTSIDE("links-outside", true),
    PACKAGES("packages", true),
    DEPENDS("depends", true),
    COMPILER("compiler", false),
    JVM_OPTIONS("jvm-options", true),
    VM_MEMORY("vm-memory", false),
    VM_KERNEL("vm-kernel", false),
    /** {@code --qemu}: restore the VM from a snapshot ({@code auto}, {@code off}, {@code refresh}). */
    SNAPSHOT("snapshot", false),
    XL("xl-", false);

    private final String spelling;
    private final boolean list;

    Key(String spelling, boolean list) {
        this.spelling = spelling;
        this.list = list;
    }

    /** The key as written, or the prefix ({@code fs-}, {@code xl-}). */
    public String spelling() {
        return spelling;
    }

    public boolean isPrefix() {
        return spelling.endsWith("-");
    }

    /** Whether repeated lines accumulate (comma- or space-separated values). */
    public boolean isList() {
        return list;
    }

    public boolean isMain() {
        return this == MAIN_HTTP || this == MAIN_IP || this == MAIN_NOIP;
    }

    /** The key a written key stands for; prefixes need a non-empty rest. */
    public static Optional<Key> of(String written) {
        for (var k : values()) {
            if (k.isPrefix()
                    ? written.startsWith(k.spelling) && written.length() > k.spelling.length()
                    : written.equals(k.spelling)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * The keys a mistyped key may have meant: every plain key, and each prefix completed with the
     * rest of the word ({@code fs_static} may mean {@code fs-static}).
     */
    public static List<String> candidatesFor(String word) {
        return Arrays.stream(values())
                .filter(k -> !k.isPrefix() || word.length() > k.spelling.length())
                .map(k -> k.isPrefix() ? k.spelling + word.substring(k.spelling.length()) : k.spelling)
                .toList();
    }
}
