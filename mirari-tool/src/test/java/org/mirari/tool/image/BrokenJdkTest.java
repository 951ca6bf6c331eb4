package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.BuildException;

/** A Java home that is a JRE, or a JDK missing jlink or jdeps: the image build names what is missing. */
class BrokenJdkTest {
    @TempDir
    Path home;

    @Test
    void aJreHasNoJlinkNorJdeps() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        var java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (var tool : new String[] {"jlink", "jdeps"}) {
            assertThatThrownBy(() -> RuntimeLinker.tool(home, tool))
                    .isInstanceOf(BuildException.class)
                    .hasMessage(home + " has no bin/" + tool + "; a JDK (not a JRE) is needed to build VM images");
        }
    }

    @Test
    void aJlinkThatIsNotExecutableCountsAsMissing() throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/jlink"), "not a program\n");
        assertThatThrownBy(() -> RuntimeLinker.tool(home, "jlink"))
                .hasMessage(home + " has no bin/jlink; a JDK (not a JRE) is needed to build VM images");
    }
}
