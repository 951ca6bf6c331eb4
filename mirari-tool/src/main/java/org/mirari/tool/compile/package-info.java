/**
 * Compiles an app's Java sources (the user's and the generated {@code Main.java}) in-process with
 * {@code javax.tools}, into memory: the class files go straight to {@code pkg}, never through a
 * class directory. Diagnostics come back as values ({@code File.java:line: message}); for generated
 * code they also name the conf line that produced the failing line. Uses the JDK, {@code error}
 * and {@code event} only. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.compile;
