/**
 * Loads one of Mirari's optional modules ({@code mirari-js} for {@code --js}, {@code mirari-ec2} for
 * {@code deploy ec2}) from its jar and {@code lib/} under the checkout, in a class loader of its
 * own, only when a command needs it: their libraries (TeaVM, the AWS SDK) never load on the tool's
 * everyday paths. Uses the JDK and {@code error} only. The allowed dependencies are checked by
 * {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.loader;
