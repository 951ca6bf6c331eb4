package org.mirari.tool.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * JavaScript, compiled by TeaVM. Build output, under {@code <appdir>/.mirari/js/}:
 * <ul>
 *   <li>{@code main-noip}: {@code <name>.mjs} (the app, the generated {@code Main} and the runtime
 *       parts it reaches, an ES module exporting {@code main}) and {@code node.mjs}, which runs it on
 *       Node with the KV packs of {@code .mirari/kv} ({@code MIRARI_KV_DIR});
 *   <li>{@code main-http}: a static site, {@code site/}: the boot page {@code index.html}, the Service
 *       Worker {@code mirari-sw.js} (scope {@code /}) that answers {@code fetch} events with the app's
 *       handler, the app {@code _mirari/<name>.mjs} and copies of the packs {@code _mirari/kv/*.kv}
 *       (fetched once and kept in Cache Storage); and {@code serve.mjs}, the static server
 *       {@code mirari run --js} starts on {@code http-port}.
 * </ul>
 * {@code main-ip} is refused when the conf is planned (a browser has no raw network).
 */
public final class JsBackend implements Backend {
    private final Host host;

    public JsBackend(Host host) {
        this.host = host;
    }

    @Override
    public Target target() {
        return Target.JS;
    }

    @Override
    public Artifact artifact() {
        return new Artifact.Js();
    }

    /** {@code .mirari/js}. */
    public static Path outDir(AppBuild app) {
        return app.outputs().buildDir(Target.JS);
    }

    static boolean http(AppBuild app) {
        return app.config().main().kind() == EntryPoint.Kind.HTTP;
    }

    /** The static site of a {@code main-http} app. */
    public static Path site(AppBuild app) {
        return outDir(app).resolve("site");
    }

    /** The compiled app, an ES module: inside the site for {@code main-http}. */
    public static Path module(AppBuild app) {
        return http(app)
                ? site(app).resolve("_mirari").resolve(app.name() + ".mjs")
                : outDir(app).resolve(app.name() + ".mjs");
    }

    /** Each KV pack's copy in the site ({@code main-http}; Node reads {@code .mirari/kv} itself). */
    public static Map<Path, Path> packCopies(AppBuild app) {
        var copies = new LinkedHashMap<Path, Path>();
        if (http(app)) {
            for (var store : app.config().stores()) {
                copies.put(
                        app.outputs().kvStore(store.name()),
                        site(app).resolve("_mirari/kv").resolve(store.name() + ".kv"));
            }
        }
        return copies;
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        var files = new ArrayList<PlannedFile>();
        files.add(new PlannedFile(module(app), "the app compiled to JavaScript by TeaVM (an ES module)"));
        for (var file : files(app, "VERSION")) files.add(new PlannedFile(file.path(), file.what()));
        for (var copy : packCopies(app).values())
            files.add(new PlannedFile(copy, "a copy of a KV pack, fetched once into Cache Storage"));
        files.add(
                new PlannedFile(app.outputs().hashCache(Target.JS), "content hashes of the inputs, by size and time"));
        files.add(new PlannedFile(
                app.outputs().buildFingerprint(Target.JS), "the build's fingerprint, for the up-to-date check"));
        return files;
    }

    /**
     * The text files around the compiled module.
     *
     * @param version names this build's Cache Storage (a hash of the module and the packs), so a
     *                new build's worker replaces the old packs
     */
    public static List<Artifact.TextFile> files(AppBuild app, String version) {
        var files = new ArrayList<Artifact.TextFile>();
        if (http(app)) {
            var packs = app.config().stores().stream()
                    .map(s -> "  " + quote(s.name()) + ": " + quote("_mirari/kv/" + s.name() + ".kv"))
                    .collect(Collectors.joining(",\n"));
            var values = Map.of(
                    "@NAME@",
                    app.name(),
                    "@MODULE@",
                    "./_mirari/" + app.name() + ".mjs",
                    "@PACKS@",
                    packs,
                    "@VERSION@",
                    version);
            files.add(new Artifact.TextFile(
                    site(app).resolve("index.html"), template("index.html", values), "the site's boot page"));
            files.add(new Artifact.TextFile(
                    site(app).resolve("mirari-sw.js"),
                    template("mirari-sw.js", values),
                    "the Service Worker that serves the app"));
            files.add(new Artifact.TextFile(
                    outDir(app).resolve("serve.mjs"),
                    template("serve.mjs", values),
                    "the static server of the site (mirari run --js)"));
        } else {
            files.add(new Artifact.TextFile(
                    outDir(app).resolve("node.mjs"),
                    template("node.mjs", Map.of("@NAME@", app.name(), "@MODULE@", "./" + app.name() + ".mjs")),
                    "the app's launcher on Node"));
        }
        return files;
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        var node = host.which("node", "/usr/bin:/bin")
                .map(Path::toString)
                .orElseThrow(() -> new BackendException(
                        "node is not installed; install it (Debian: apt-get install nodejs) or use --socket"));
        var command = new ArrayList<String>();
        command.add(node);
        if (http(app)) {
            command.add(outDir(app).resolve("serve.mjs").toString());
            command.add(site(app).toString());
            command.add(boot.httpAddress());
            command.add(Integer.toString(boot.httpPort()));
            var launch = new Launch(command, Map.of(), app.appDir(), Optional.empty());
            return new RunSpec.Process(
                    launch, Optional.of(new RunSpec.Listen(boot.httpAddress(), boot.httpPort())), false);
        }
        command.add(outDir(app).resolve("node.mjs").toString());
        boot.overrides().forEach((k, v) -> command.add(k + "=" + v));
        var launch = new Launch(
                command, Map.of("MIRARI_KV_DIR", app.outputs().kvDir().toString()), app.appDir(), Optional.empty());
        return new RunSpec.Process(launch, Optional.empty(), false);
    }

    /** A JavaScript string literal. */
    static String quote(String s) {
        var out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    private static String template(String name, Map<String, String> values) {
        try (InputStream in = JsBackend.class.getResourceAsStream("js/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource js/" + name);
            var text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (var e : values.entrySet()) text = text.replace(e.getKey(), e.getValue());
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource js/" + name, e);
        }
    }
}
