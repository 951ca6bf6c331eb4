package org.mirari.tool.plan;

import java.nio.file.Path;

/**
 * A file a step or a backend writes, with what it is for: what {@code --dry-run} prints instead of
 * writing it.
 */
public record PlannedFile(Path path, String purpose) {}
