/**
 * What one build will do, as data: the {@link org.mirari.tool.targets.Target} chosen, the
 * {@link org.mirari.tool.plan.Jdk} to use, and where every generated file and output goes
 * ({@link org.mirari.tool.plan.Plan}). Steps read a plan; nothing here does I/O beyond looking
 * for JDKs. May use {@code config}, {@code targets} and {@code error}.
 */
package org.mirari.tool.plan;
