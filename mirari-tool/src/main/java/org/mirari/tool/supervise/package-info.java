/**
 * Detached instances ({@code mirari run -d}, {@code ps}, {@code logs}, {@code stop}, {@code rm}): the
 * per-user {@link org.mirari.tool.supervise.StateDir} (XDG state directory, a lock for commands that
 * add or remove instances), what each instance records ({@link org.mirari.tool.supervise.Instance},
 * {@link org.mirari.tool.supervise.Status}, the rotated {@link org.mirari.tool.supervise.ConsoleLog}),
 * the {@link org.mirari.tool.supervise.Supervisor} that holds a {@code run.RunHandle} in a process of
 * its own and applies the {@link org.mirari.tool.supervise.RestartPolicy}, and the
 * {@link org.mirari.tool.supervise.Lifecycle} operations, which check a supervisor's report against
 * the processes and taps that exist. Uses {@code run}, {@code backend} (values), {@code context},
 * {@code error} and {@code event}; the CLI renders.
 */
package org.mirari.tool.supervise;
