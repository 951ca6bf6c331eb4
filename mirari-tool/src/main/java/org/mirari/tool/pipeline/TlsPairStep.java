package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirari.runtime.internal.tls.KeyMatch;
import org.mirari.runtime.internal.tls.Pem;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.output.GeneratedFiles;

/**
 * Part of configure: a conf's own {@code tls-certificate} and {@code tls-key} files must hold a
 * certificate and the private key it was issued for. Found here, a mismatch is a config error at
 * the key's line (exit 2); found by no one, every handshake would fail at the client. Values given
 * as {@code env:NAME} are read only by the app, which checks them at start, as it does boot-time
 * parameters.
 */
final class TlsPairStep {
    private TlsPairStep() {}

    static void run(Config config, Path shownFrom) {
        var https = config.https();
        if (https.certificate().isEmpty() || https.key().isEmpty()) return;
        Located<String> cert = https.certificate().get(), key = https.key().get();
        if (cert.value().startsWith("env:") || key.value().startsWith("env:")) return;
        var problems = new ArrayList<String>();
        String certShown = GeneratedFiles.shown(Path.of(cert.value()), shownFrom);
        String keyShown = GeneratedFiles.shown(Path.of(key.value()), shownFrom);
        var chain = read(cert, "tls-certificate", certShown, problems, t -> Pem.certificates(t, certShown));
        var privateKey = read(key, "tls-key", keyShown, problems, t -> Pem.privateKey(t, keyShown));
        if (chain != null && privateKey != null) {
            try {
                KeyMatch.check(chain.getFirst(), privateKey, certShown, "tls-key " + keyShown);
            } catch (IllegalArgumentException e) {
                problems.add(key.at() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    private interface Reader<T> {
        T read(String text);
    }

    /** The file's content as {@code reader} makes it, or null with the problem added at the key's position. */
    private static <T> T read(
            Located<String> value, String param, String shown, List<String> problems, Reader<T> reader) {
        try {
            return reader.read(Files.readString(Path.of(value.value())));
        } catch (IOException e) {
            problems.add(value.at() + ": " + param + " " + shown + " cannot be read (" + e.getMessage()
                    + "); give a readable PEM file");
        } catch (IllegalArgumentException e) {
            problems.add(value.at() + ": " + param + " " + e.getMessage());
        }
        return null;
    }
}
