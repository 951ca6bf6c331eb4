package org.mirari.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.oci.OciImageSpec;

/**
 * jib-core behind the tool's spec, on a tiny image: built twice into two places it has the same
 * digest, the layout is read by {@code skopeo} and {@code umoci} (Debian's, when installed), and
 * unpacking gives the files with their modes.
 */
class JibImagesTest {
    @TempDir
    Path dir;

    private OciImageSpec spec(Path files) throws IOException {
        Files.createDirectories(files.resolve("bin"));
        Path tool = Files.writeString(files.resolve("bin/tool"), "#!/bin/sh\necho hi\n");
        Path data = Files.writeString(files.resolve("data.txt"), "data\n");
        return new OciImageSpec(
                "mirari/tiny:latest",
                List.of(
                        new OciImageSpec.Layer("runtime", List.of(new OciImageSpec.Entry(tool, "/jre/bin/tool", 0755))),
                        new OciImageSpec.Layer("app", List.of(new OciImageSpec.Entry(data, "/app/data.txt", 0644)))),
                List.of("/jre/bin/tool", "-x"),
                "65532:65532",
                OptionalInt.of(8080),
                Map.of("org.mirari.version", "test"),
                0,
                dir.resolve("cache"));
    }

    @Test
    void theSameInputsGiveTheSameDigestAndToolsReadTheLayout() throws Exception {
        var events = new ArrayList<Event>();
        var first = JibImages.build(spec(dir.resolve("a")), dir.resolve("a.tar"), dir.resolve("a-layout"), events::add);
        var second =
                JibImages.build(spec(dir.resolve("b")), dir.resolve("b.tar"), dir.resolve("b-layout"), events::add);

        assertThat(first.digest()).startsWith("sha256:").isEqualTo(second.digest());
        assertThat(first.layers()).extracting(l -> l.name()).containsExactly("runtime", "app");
        assertThat(Files.readString(dir.resolve("a-layout/oci-layout"))).contains("imageLayoutVersion");
        assertThat(events).noneMatch(e -> e instanceof Event.Warning);

        Path rootfs = dir.resolve("rootfs");
        LayoutUnpacker.unpack(dir.resolve("a-layout"), rootfs);
        assertThat(Files.readString(rootfs.resolve("app/data.txt"))).isEqualTo("data\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve("jre/bin/tool"))))
                .isEqualTo("rwxr-xr-x");

        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/skopeo")) && Files.isExecutable(Path.of("/usr/bin/umoci")),
                "skopeo and umoci are not installed (Debian: apt-get install skopeo umoci)");
        String skopeo = run("skopeo", "inspect", "oci:" + dir.resolve("a-layout") + ":mirari/tiny:latest");
        assertThat(skopeo).contains("\"Digest\": \"" + first.digest() + "\"", "\"org.mirari.version\": \"test\"");
        String archive = run("skopeo", "inspect", "oci-archive:" + dir.resolve("b.tar") + ":mirari/tiny:latest");
        assertThat(archive).contains("\"Digest\": \"" + first.digest() + "\"");
        String umoci = run("umoci", "stat", "--image", dir.resolve("a-layout") + ":mirari/tiny:latest");
        assertThat(umoci).contains("runtime", "app");
        String config = run("skopeo", "inspect", "--config", "oci:" + dir.resolve("a-layout") + ":mirari/tiny:latest");
        assertThat(config).as("the process runs as the image's user, not root").contains("\"User\": \"65532:65532\"");
    }

    @Test
    void aLayoutNamingNoImageIsRefused() throws Exception {
        var image = JibImages.build(spec(dir.resolve("c")), dir.resolve("c.tar"), dir.resolve("c-layout"), e -> {});
        Files.writeString(dir.resolve("c-layout/index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        assertThatThrownBy(() -> LayoutUnpacker.unpack(dir.resolve("c-layout"), dir.resolve("r")))
                .isInstanceOf(BuildException.class)
                .hasMessage(dir.resolve("c-layout") + "/index.json names no image");
        assertThat(image.bytes()).isPositive();
    }

    @Test
    void anUnreachableRegistrySaysWhatToCheck() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String ref = "127.0.0.1:" + port + "/mirari/tiny:1";
        var spec = spec(dir.resolve("d"));
        assertThatThrownBy(() -> JibImages.push(spec, ref, true, e -> {}))
                .isInstanceOf(org.mirari.tool.error.BackendException.class)
                .hasMessageStartingWith("cannot reach the registry of " + ref + " (")
                .hasMessageEndingWith("); is it running, and is the host:port right?");
        assertThatThrownBy(() -> JibImages.push(spec, "Not A Ref", true, e -> {}))
                .isInstanceOf(BuildException.class)
                .hasMessage(
                        "--push Not A Ref is not an image reference; use e.g. registry.example.com:5000/team/app:1.0");
    }

    private static String run(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
