/**
 * The one owner of generated outputs on disk: the {@link org.mirari.tool.output.Stamp} on every
 * generated text file, the all-or-nothing writer ({@link org.mirari.tool.output.GeneratedFiles},
 * temporary names that cannot collide, atomic renames, never over a user's unstamped file), the
 * manifest of generated binaries ({@link org.mirari.tool.output.GeneratedManifest}) and
 * {@link org.mirari.tool.output.Cleaner}, which removes exactly what those mark as Mirari's. Output
 * names come from {@code plan.Outputs}. May use {@code pkg} (hashing), {@code plan}, {@code config}, {@code targets},
 * {@code error} and {@code event}. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.output;
