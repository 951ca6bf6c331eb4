package org.mirari.oci.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code examples/hello} built by {@code bin/mirari build --oci --tar} once per test run and shared
 * by the OCI integration tests (OciIT checks it, PodmanIT loads its archive): a build costs seconds
 * of CI. It lives in JUnit's root store, which closes it (deletes its directory) when the run ends.
 *
 * @param app    the app's directory (its {@code .mirari/oci} holds the layout and the archive)
 * @param digest the image's digest, as the build recorded it
 */
record BuiltImage(Path dir, Path app, String digest) implements AutoCloseable {

    /** Gives a test's {@code @BeforeAll} the run's {@link Images}, from which it takes the image after its own checks. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Images.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return new Images(context.getRoot().getStore(ExtensionContext.Namespace.create(BuiltImage.class)));
        }
    }

    /** The images of this test run, each built when first asked for. */
    record Images(ExtensionContext.Store store) {
        BuiltImage hello() {
            return store.getOrComputeIfAbsent("hello", k -> build("hello"), BuiltImage.class);
        }
    }

    private static BuiltImage build(String example) {
        try {
            Path dir = Files.createTempDirectory("mirari-oci-it-");
            Path app = Mirari.example(example, dir);
            var b = Mirari.mirari(Map.of(), Duration.ofMinutes(4), "build", "--oci", "--tar", app.toString());
            assertThat(b.code()).as(b.output()).isZero();
            return new BuiltImage(dir, app, digestOf(app));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The digest that the build of {@code app} recorded in {@code .mirari/oci/image.properties}. */
    static String digestOf(Path app) throws IOException {
        for (String line : Files.readAllLines(app.resolve(".mirari/oci/image.properties")))
            if (line.startsWith("digest=")) return line.substring(7);
        throw new AssertionError("no digest in " + app.resolve(".mirari/oci/image.properties"));
    }

    /** The image's OCI archive, beside the conf ({@code --tar}). */
    Path archive() {
        return app.resolve("mir-" + app.getFileName() + ".oci.tar");
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
