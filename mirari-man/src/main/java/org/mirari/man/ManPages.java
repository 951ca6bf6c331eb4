package org.mirari.man;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.mirari.tool.cli.CliContext;
import org.mirari.tool.cli.MirariCli;
import org.mirari.tool.plan.ToolVersion;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes {@code OUT/man1/mirari-COMMAND.1}, one troff page per command of the model (hidden ones
 * aside), from the AsciiDoc that {@code ManPageGenerator} writes to {@code OUT/adoc}.
 *
 * <p>Asciidoctor runs in JRuby, whose start costs seconds; it is started only when some page's
 * AsciiDoc differs from the last build's (a no-change build makes no JRuby at all). Pages of
 * commands that are gone are removed.
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPages OUT_DIR");
            System.exit(2);
        }
        var converted = write(Path.of(args[0]));
        System.out.println("mirari-man: " + (converted.isEmpty() ? "pages up to date" : "made " + converted));
    }

    /** The model the pages describe: the tool's, in a context that reads nothing of this machine. */
    static CommandLine model() {
        var here = Path.of("").toAbsolutePath();
        var discard = new PrintStream(PrintStream.nullOutputStream());
        return MirariCli.commandLine(new CliContext(here, Map.of(), here, discard, discard));
    }

    /** Brings {@code out} up to date; returns the pages converted (file names), sorted. */
    static List<String> write(Path out) throws IOException {
        var adoc = Files.createDirectories(out.resolve("adoc"));
        var man1 = Files.createDirectories(out.resolve("man1"));
        var fresh = Files.createTempDirectory(out, ".adoc-");
        try {
            ManPageGenerator.generateManPage(fresh.toFile(), null, new boolean[0], false, model().getCommandSpec());
            var changed = new ArrayList<Path>();
            var names = new TreeSet<String>();
            for (var f : list(fresh, ".adoc")) {
                var name = f.getFileName().toString();
                var old = adoc.resolve(name);
                var page = man1.resolve(page(name));
                names.add(name);
                stamp(f);
                if (Files.exists(old) && Files.exists(page) && Files.mismatch(old, f) == -1) continue;
                Files.move(f, old, StandardCopyOption.REPLACE_EXISTING);
                changed.add(old);
            }
            for (var f : list(adoc, ".adoc")) {
                if (!names.contains(f.getFileName().toString())) Files.delete(f);
            }
            for (var f : list(man1, ".1")) {
                if (!names.contains(f.getFileName().toString().replaceFirst("\\.1$", ".adoc"))) Files.delete(f);
            }
            convert(changed, man1);
            return changed.stream()
                    .map(p -> page(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } finally {
            try (var left = Files.list(fresh)) {
                for (var f : (Iterable<Path>) left::iterator) Files.delete(f);
            }
            Files.delete(fresh);
        }
    }

    /**
     * The model's version comes from a provider, which ManPageGenerator does not call: the page's
     * source line ({@code .TH}'s fourth field) gets Mirari's version here, in the AsciiDoc itself,
     * so that the AsciiDoc stays the whole input of a page (what the no-change check compares).
     */
    private static void stamp(Path adoc) throws IOException {
        var text = Files.readString(adoc);
        var stamped = text.replaceFirst("(?m)^:mansource: *$", ":mansource: Mirari " + ToolVersion.current())
                .replaceFirst("(?m)^:revnumber: *$", ":revnumber: " + ToolVersion.current());
        Files.writeString(adoc, stamped);
    }

    private static void convert(List<Path> pages, Path man1) {
        if (pages.isEmpty()) return;
        try (var asciidoctor = Asciidoctor.Factory.create()) {
            for (var page : pages) {
                asciidoctor.convertFile(
                        page.toFile(),
                        Options.builder()
                                .backend("manpage")
                                .safe(SafeMode.UNSAFE)
                                .toDir(man1.toFile())
                                // No date from the file's time: the same model makes the same
                                // bytes (a golden test holds one page).
                                .attributes(Attributes.builder()
                                        .attribute("reproducible", "")
                                        .build())
                                .build());
            }
        }
    }

    private static String page(String adocName) {
        return adocName.replaceFirst("\\.adoc$", ".1");
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
