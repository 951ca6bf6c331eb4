/**
 * What one build will do, as data: the {@link org.mirari.tool.targets.Target} chosen, the
 * {@link org.mirari.tool.plan.Jdk} to use ({@link org.mirari.tool.plan.Plan}), where every output
 * goes ({@link org.mirari.tool.plan.Outputs}, the one place output names are worked out) and a
 * run's typed boot-time parameters ({@link org.mirari.tool.plan.Boot}). Steps and backends read
 * these values; nothing here does I/O beyond looking for JDKs. May use {@code config},
 * {@code targets} and {@code error}. The allowed dependencies are checked by {@code ArchitectureTest}.
 */
package org.mirari.tool.plan;
