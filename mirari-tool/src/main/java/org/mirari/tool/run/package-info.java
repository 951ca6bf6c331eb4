/**
 * Runs a built app from its backend's {@code RunSpec}, as a library: a
 * {@link org.mirari.tool.run.RunHandle} (one exhaustive switch over the spec) starts it, follows its
 * console and readiness lines ({@code mirari-ready: listening url=...}), stops it gracefully then by
 * force, and undoes the host's preparation; {@link org.mirari.tool.run.Foreground} drives a handle for
 * {@code mirari run} (Ctrl-C and SIGTERM), and a supervisor drives one for a detached instance. No
 * process of the app outlives whoever started it, even killed by SIGKILL
 * ({@link org.mirari.tool.hosttool.Orphans}). Also checks up front that a port can be bound, so a busy or
 * privileged port fails with the fix rather than a stack trace. Uses the JDK, {@code backend} (values
 * only), {@code oci}, {@code plan}, {@code hosttool}, {@code snapshot}, {@code scratch}, {@code json},
 * {@code error} and {@code event}. The allowed dependencies are checked by
 * {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.run;
