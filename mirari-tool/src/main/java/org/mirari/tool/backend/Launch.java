package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a built app: a value a backend returns and {@code run} executes.
 *
 * @param command      the program and its arguments
 * @param environment  variables added to the tool's environment
 * @param directory    the working directory
 * @param aotTraining  the AOT cache this run writes when the app exits (a training run), if any
 * @param vm           for VM targets: how to read the guest's console
 */
public record Launch(List<String> command, Map<String, String> environment, Path directory,
                     Optional<Path> aotTraining, Optional<VmConsoleSpec> vm) {
    public Launch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    public Launch(List<String> command, Map<String, String> environment, Path directory, Optional<Path> aotTraining) {
        this(command, environment, directory, aotTraining, Optional.empty());
    }
}
