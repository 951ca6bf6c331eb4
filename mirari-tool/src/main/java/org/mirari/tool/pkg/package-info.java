/**
 * Packages a compiled app: reproducible jars (sorted entries, fixed timestamps), the dependency
 * jars beside them, the stamped launcher {@code mir-<name>} and the content fingerprints that let
 * a second build find nothing to do. Pure builders and hashing: the stamped launcher is written
 * through {@code output}. Uses the JDK, {@code error} and {@code event} only. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.pkg;
