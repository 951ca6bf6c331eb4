package org.mirari.runtime.internal.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.internal.tls.KeyMatch;
import org.mirari.runtime.internal.tls.Pem;
import org.mirari.runtime.internal.tls.SelfSigned;
import org.mirari.runtime.internal.tls.Tls;

/**
 * The HTTPS settings from the boot parameters: the certificate and key from their files or from
 * the environment ({@code env:NAME}) or inline on the kernel command line ({@code der:}, a Xen
 * guest's only channel from the host), read at boot so that one image serves many hosts; without
 * them, a self-signed certificate made now for {@code localhost} and the serving address (what the
 * tool's configure also makes, when a conf asks for HTTPS and names no certificate).
 */
final class TlsSetup {
    private TlsSetup() {}

    static Tls tls(BootParameters.Https https, String host, PrintStream err) {
        List<X509Certificate> chain;
        PrivateKey key;
        if (!https.certificate().isEmpty() && configuresOwnButAbsent(https)) {
            // Main names the self-signed pair configure made on the host; a VM's image does not carry it
            err.println(
                    "mirari: " + https.certificate() + " (configure's self-signed certificate) is not on this machine;"
                            + " making one now. Give tls-certificate and tls-key (a path in the image, or env:NAME) for a real one");
            https = new BootParameters.Https(https.port(), "", "", https.redirect());
        }
        if (https.certificate().isEmpty()) {
            var names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", host));
            var made = SelfSigned.server(List.copyOf(names), Instant.now());
            err.println("mirari: no tls-certificate given: serving a self-signed certificate for "
                    + String.join(", ", names)
                    + " made now (clients will not trust it; give tls-certificate and tls-key)");
            chain = List.of(made.certificate());
            key = made.key();
        } else {
            chain = Pem.certificates(text("tls-certificate", https.certificate()), https.certificate());
            key = Pem.privateKey(text("tls-key", https.key()), https.key());
            KeyMatch.check(
                    chain.getFirst(),
                    key,
                    shown("tls-certificate", https.certificate()),
                    shown("tls-key", https.key()));
        }
        return Tls.of(chain, key, List.of("h2", "http/1.1")); // h2 first, as nginx and h2o prefer it
    }

    /** True for the {@code .mirari/tls/<name>.crt} and {@code .key} that configure writes, when they are absent. */
    static boolean configuresOwnButAbsent(BootParameters.Https https) {
        return https.certificate().matches(".*/\\.mirari/tls/[^/]+\\.crt")
                && https.key().matches(".*/\\.mirari/tls/[^/]+\\.key")
                && !Files.exists(Path.of(https.certificate()));
    }

    /** A value as a message names it: an inline one (a whole PEM's base64) by its parameter. */
    private static String shown(String param, String value) {
        return value.startsWith(Pem.INLINE) ? "the inline " + param : value;
    }

    /** The PEM text a value names: {@code env:NAME}, {@code der:BASE64,...} (inline), else a file's path. */
    private static String text(String param, String value) {
        if (value.startsWith(Pem.INLINE)) {
            return Pem.fromInline(value, param.equals("tls-key") ? "PRIVATE KEY" : "CERTIFICATE", param);
        }
        if (value.startsWith("env:")) {
            String name = value.substring(4);
            String pem = System.getenv(name);
            if (pem == null || pem.isBlank()) {
                throw new IllegalArgumentException(
                        "boot parameter " + param + "=" + value + ": the environment variable " + name
                                + " is not set; export it with the PEM text, or give a file's path");
            }
            return pem;
        }
        try {
            return Files.readString(Path.of(value));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("boot parameter " + param + ": cannot read " + value + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); give the path of a PEM file, or env:NAME");
        }
    }
}
