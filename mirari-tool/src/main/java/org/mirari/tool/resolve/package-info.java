/**
 * Resolves the app's {@code packages} with maven-resolver: transitive, checksums verified
 * (a mismatch fails), the user's {@code ~/.m2/settings.xml} local repository and mirrors honoured,
 * offline mode. Writes and reads the lock file ({@code <name>.lock}: every resolved artifact with
 * its SHA-256) so that later runs use exactly the same artifacts, and installs Mirari's own
 * runtime jars into the local repository so the generated {@code pom.xml} builds with plain
 * {@code mvn}. May use {@code config}, {@code plan}, {@code targets}, {@code error}, {@code event};
 * the only package that uses maven-resolver. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.resolve;
