/**
 * Temporary files and directories that Mirari makes in its cache (a runtime being linked, a kernel
 * being unpacked, an initrd part being compressed) and the host tools it runs while they exist.
 * Each is named by the process that made it ({@code .link-<pid>.<start>-<random>}), removed when
 * the work is done, removed by a shutdown hook on Ctrl-C or SIGTERM (after the tools still running
 * are stopped, so none writes into it again), and swept by the next run when a SIGKILL left it.
 * maven-resolver's partial downloads in the local repository are removed by the same hook, and
 * after a SIGKILL by the next download of the same file (their names carry no maker, but that
 * download holds maven-resolver's lock on the file, so no other run is writing them). Depends on
 * the JDK only.
 */
package org.mirari.tool.scratch;
