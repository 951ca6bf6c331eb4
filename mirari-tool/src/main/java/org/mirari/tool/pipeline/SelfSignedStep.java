package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import org.mirari.runtime.internal.tls.SelfSigned;
import org.mirari.tool.config.Config;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;

/**
 * Part of configure: a conf with {@code https-port} and no {@code tls-certificate} gets a
 * self-signed certificate for local use, kept in {@code .mirari/tls/} (the key readable by its
 * owner only) and made again only when it is missing or expires within 30 days. Its paths are the
 * {@code tls-certificate} and {@code tls-key} defaults compiled into {@code Main}.
 */
final class SelfSignedStep {
    /** A certificate closer than this to its end is made again. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedStep() {}

    /** The names the certificate is for: localhost, loopback, and the addresses the conf gives. */
    static List<String> names(Config config) {
        var names = new LinkedHashSet<String>(List.of("localhost", "127.0.0.1"));
        config.httpAddress().map(a -> a.value()).filter(a -> !a.equals("*")).ifPresent(names::add);
        names.add(config.ipAddress()
                .map(a -> a.value())
                .orElse(Config.DEFAULT_IP_ADDRESS)
                .toString());
        return List.copyOf(names);
    }

    static void run(Config config, Path shownFrom, EventSink sink, Instant now) {
        if (!config.https().selfSigned()) return;
        Path cert = config.selfSignedFiles().get(0);
        Path key = config.selfSignedFiles().get(1);
        if (current(cert, key, now)) return;
        var names = names(config);
        var made = SelfSigned.server(names, now);
        try {
            Files.createDirectories(cert.getParent());
            write(key, made.keyPem(), "rw-------");
            write(cert, made.certificatePem(), "rw-r--r--");
        } catch (IOException e) {
            throw GeneratedFiles.cannotWrite(cert, shownFrom, e, "HTTPS needs a certificate");
        }
        sink.emit(new Event.Info("made a self-signed certificate for " + String.join(", ", names)
                + ", for local use: " + GeneratedFiles.shown(cert, shownFrom)
                + " (clients will not trust it; give tls-certificate and tls-key for one they do)"));
    }

    private static boolean current(Path cert, Path key, Instant now) {
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) return false;
        try {
            var c = org.mirari.runtime.internal.tls.Pem.certificates(Files.readString(cert), cert.toString());
            return c.getFirst().getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
        } catch (IOException | IllegalArgumentException e) {
            return false; // unreadable: made again
        }
    }

    /** Through a temporary file made with {@code perms} from the start, renamed into place. */
    private static void write(Path file, String text, String perms) throws IOException {
        var tmp = Files.createTempFile(
                file.getParent(),
                "." + file.getFileName(),
                ".mirari-tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
