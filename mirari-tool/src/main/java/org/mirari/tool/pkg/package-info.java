/**
 * Packages a compiled app: reproducible jars (sorted entries, fixed timestamps), the dependency
 * jars beside them, the stamped launcher {@code mir-<name>} and the content fingerprints that let
 * a second build find nothing to do. Writes files atomically and never overwrites a user's file
 * that carries a generated file's name. Uses the JDK and {@code error} only.
 */
package org.mirari.tool.pkg;
