package org.mirari.tool.config;

import java.nio.file.Path;
import java.util.Optional;
import org.mirari.tool.targets.Target;

/**
 * The {@code compiler} key: the JDK to compile with and to link runtime images from, given as a
 * feature version ({@code 25}) or a JDK home, optionally with {@code +<target>} which wins over the
 * command line's target switch (as in the original tool).
 *
 * @param feature the JDK feature version, when given as a number
 * @param home    the JDK home (absolute), when given as a path
 */
public record CompilerSpec(Optional<Integer> feature, Optional<Path> home, Optional<Target> target, Position at) {}
