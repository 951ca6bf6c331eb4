/**
 * The pipeline out of the CLI, as small steps and the runners that compose them: configure,
 * resolve, compile, package, image and clean ({@code ConfigureStep}, {@code ResolveStep},
 * {@code CompileStep}, {@code PackageStep}, {@code ImageStep}, {@code CleanStep}); one runner per
 * kind of build ({@code TargetBuild}: {@code AppJarBuild} compiles and packages, {@code ImageBuild}
 * also makes the VM image, and for {@code --ec2} the UEFI disk, {@code DiskStep}), picked by what
 * the target's backend makes; and
 * {@link org.mirari.tool.pipeline.Pipeline}, which takes a conf to a {@code Plan}, configures when
 * stale, resolves, and runs the target's build when its inputs changed. Emits events; never prints.
 * May use {@code backend}, {@code image}, {@code uefi}, {@code compile}, {@code codegen}, {@code resolve},
 * {@code output}, {@code pkg}, {@code plan}, {@code config}, {@code context}, {@code targets},
 * {@code error} and {@code event}. The allowed dependencies are checked by {@code ArchitectureTest},
 * whose table says the same.
 */
package org.mirari.tool.pipeline;
