/**
 * The {@code mirari} command line (picocli): {@link org.mirari.tool.cli.MirariCli} is the main
 * class; one class per subcommand; shared options as mixins. The only package that prints: it
 * renders {@link org.mirari.tool.event.Event}s ({@link org.mirari.tool.cli.ConsoleSink}) and maps
 * every {@link org.mirari.tool.error.MirariException} to its exit code in one place
 * ({@link org.mirari.tool.cli.MirariCli#exitCodeOf}). Commands are adapters: the work is in
 * {@code pipeline}, {@code run} and {@code supervise} ({@code run -d}, {@code ps}, {@code logs},
 * {@code stop}, {@code rm}, and the hidden {@code supervise} that a detached run starts). The quick run
 * lives here too: {@code QuickStamp} (the one stamp, which {@code bin/mirari} reads as well) and
 * {@code QuickRun} (recording it, and the tool's own quick path).
 * May use every other package but the libraries other packages own. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.cli;
