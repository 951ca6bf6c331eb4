/**
 * Generates the files of an app from its {@link org.mirari.tool.plan.Plan}: the stamped
 * {@code Main.java} that boots the runtime with the conf's settings, the stamped {@code pom.xml}
 * that builds the same app with a plain {@code mvn package}, and the lock file's text. Generation
 * is pure (plan in, text out); {@link org.mirari.tool.output.GeneratedFiles} writes the results
 * atomically and never over a file without Mirari's stamp. {@code StorePacker} packs the KV
 * stores with the runtime's {@code internal.kv.KvPackWriter}. May use {@code config}, {@code plan},
 * {@code output}, {@code targets}, {@code error}, {@code event} and that one runtime class. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.codegen;
