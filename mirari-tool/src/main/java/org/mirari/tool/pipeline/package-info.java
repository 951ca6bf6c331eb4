/**
 * The pipeline out of the CLI: the configure, resolve and clean steps
 * ({@link org.mirari.tool.pipeline.ConfigureStep}, {@code ResolveStep}, {@code CleanStep}) and the runner
 * ({@link org.mirari.tool.pipeline.Pipeline}) that takes a conf to a {@code Plan}, configures when
 * stale, resolves, and has the target's backend compile, package and make its image. Emits events;
 * never prints. May use {@code context}, {@code backend}, {@code codegen}, {@code resolve},
 * {@code output}, {@code pkg}, {@code plan}, {@code config}, {@code targets}, {@code error} and
 * {@code event}. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.pipeline;
