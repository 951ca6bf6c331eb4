package org.mirari.tool.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.TestApps;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.output.GeneratedManifest;

class ImageStepTest {
    @TempDir
    Path dir;

    @Test
    void aUsersFileWithAnImagesNameIsNeverOverwritten() throws Exception {
        var conf = dir.resolve("app.conf");
        var app = TestApps.bare(conf, "main-noip: Noip.main\n", List.of());
        Path initrd = app.outputs().vmInitrd();
        assertThatCode(() -> ImageStep.requireOurs(app, initrd)).doesNotThrowAnyException();
        Files.writeString(initrd, "the user's own initrd");
        assertThatThrownBy(() -> ImageStep.requireOurs(app, initrd))
                .isInstanceOf(BuildException.class)
                .hasMessage("mir-app.initrd exists and was not made by mirari (or was changed since); "
                        + "rename or remove it so mirari can write the VM image there");
        GeneratedManifest.record(dir, initrd);
        assertThatCode(() -> ImageStep.requireOurs(app, initrd)).doesNotThrowAnyException();
        Files.writeString(initrd, "changed by hand");
        assertThatThrownBy(() -> ImageStep.requireOurs(app, initrd)).isInstanceOf(BuildException.class);
    }
}
