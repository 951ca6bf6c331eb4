package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process to start: part of every {@link RunSpec}.
 *
 * @param command      the program and its arguments
 * @param environment  variables added to the tool's environment
 * @param directory    the working directory
 * @param aotTraining  the AOT cache this run writes when the app exits (a training run), if any
 */
public record Launch(
        List<String> command, Map<String, String> environment, Path directory, Optional<Path> aotTraining) {
    public Launch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
