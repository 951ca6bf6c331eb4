package org.mirari.tool.image;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The system properties that let a guest JVM start without reading its runtime's
 * {@code conf/security/java.security}.
 *
 * <p>In JDK 25 the first {@code InetAddress} of every run asks for the security property
 * {@code jdk.includeInExceptions} (which details its exception messages may carry), and asking
 * initialises {@code java.security.Security}: it opens and parses that file, through the NIO file
 * classes, all interpreted. The JDK takes a system property of the same name first and then leaves
 * {@code Security} alone ({@code SecurityProperties.getOverridableProperty}), so the image passes
 * the file's own value as one: the same setting, read at build time. (What needs other security
 * properties, TLS say, still initialises it when it starts.) Under TCG this was about 30 ms of
 * hello's boot (the runtime's boot trace, 2 alternating boots). A user's own {@code -D} in
 * {@code jvm-options} comes later on the command line and still wins.
 */
final class SecurityBoot {
    static final String INCLUDE_IN_EXCEPTIONS = "jdk.includeInExceptions";

    /** The security properties file of a runtime, relative to its home. */
    static final String FILE = "conf/security/java.security";

    private SecurityBoot() {}

    /** {@code -Djdk.includeInExceptions=VALUE} as the linked runtime {@code jre} sets it, or nothing when it does not. */
    static List<String> jvmOptions(Path jre) throws IOException {
        Path file = jre.resolve(FILE);
        if (!Files.isRegularFile(file)) return List.of();
        var p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        String value = p.getProperty(INCLUDE_IN_EXCEPTIONS);
        return value == null ? List.of() : List.of("-D" + INCLUDE_IN_EXCEPTIONS + "=" + value);
    }
}
