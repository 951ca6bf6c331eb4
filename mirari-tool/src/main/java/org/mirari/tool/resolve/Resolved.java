package org.mirari.tool.resolve;

import java.nio.file.Path;
import org.mirari.tool.config.Coordinate;

/** A jar in the local repository, with its SHA-256 (lowercase hex). */
public record Resolved(Coordinate coordinate, Path file, String sha256) {}
