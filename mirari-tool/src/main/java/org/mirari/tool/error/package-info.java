/**
 * Failures meant for people and the exit codes they map to: {@link org.mirari.tool.error.MirariException}
 * is sealed with one subtype per failure kind (config, resolution, build, backend), and
 * {@link org.mirari.tool.error.ExitCode} is the one table from kinds to exit codes that the CLI
 * uses. Depends on nothing else of the tool.
 */
package org.mirari.tool.error;
