package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Artifact;
import org.mirari.tool.backend.Backend;
import org.mirari.tool.backend.Host;

/**
 * The runner of one target's build: the steps for what its backend makes ({@link Artifact}),
 * skipped as a whole when the fingerprint of every input (content hashes, not times) is the one
 * recorded by the last build. Throws a {@code BuildException} (exit 4) on failure.
 */
sealed interface TargetBuild permits AppJarBuild, ImageBuild, JsBuild, OciBuild {

    /** Whether {@link #run} would find nothing to do. Cheap enough for every {@code mirari run}. */
    boolean upToDate();

    /** Builds, or reports the outputs up to date. */
    void run();

    /** A build's fingerprint of its inputs, which may read files. */
    interface Inputs {
        String fingerprint() throws IOException;
    }

    /**
     * The up-to-date check of a build whose outputs are files: every one of {@code outputs} is
     * there and the record {@code recorded} (written last by the build) holds the fingerprint of
     * today's inputs. An unreadable record or input means "build again", never an error.
     */
    static boolean recorded(Path recorded, List<Path> outputs, Inputs inputs) {
        try {
            if (!Files.isRegularFile(recorded)) return false;
            for (Path out : outputs) if (!Files.isRegularFile(out)) return false;
            return Files.readString(recorded).strip().equals(inputs.fingerprint());
        } catch (IOException e) {
            return false;
        }
    }

    /** The runner for {@code backend}'s artifact. */
    static TargetBuild of(Backend backend, AppBuild app, Host host, org.mirari.tool.event.EventSink events) {
        return switch (backend.artifact()) {
            case Artifact.AppJar j -> new AppJarBuild(app, host, events);
            case Artifact.Image i -> new ImageBuild(app, backend.target(), i, host, events);
            case Artifact.Js j -> new JsBuild(app, host, events);
            case Artifact.UefiDisk d -> new ImageBuild(app, backend.target(), d, host, events);
            case Artifact.OciImage o -> new OciBuild(app, host, events);
        };
    }
}
