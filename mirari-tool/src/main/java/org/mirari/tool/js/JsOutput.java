package org.mirari.tool.js;

import java.nio.file.Path;
import java.util.List;

/**
 * A successful compilation to JavaScript.
 *
 * @param file      the ES module written
 * @param warnings  TeaVM's warnings, each naming the class and method ({@code Noip.main(Noip.java:12): ...})
 */
public record JsOutput(Path file, List<String> warnings) {
    public JsOutput {
        warnings = List.copyOf(warnings);
    }
}
