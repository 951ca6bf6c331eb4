package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;

/**
 * What a build produced.
 *
 * @param upToDate  nothing had changed, so nothing was done
 * @param outputs   the main outputs (the app jar, the launcher), for messages
 */
public record BuildOutcome(boolean upToDate, List<Path> outputs) {
    public BuildOutcome {
        outputs = List.copyOf(outputs);
    }
}
