/**
 * The guest side of a snapshot restore: the thread that waits for the init's word that this VM was
 * restored, reseeds the JVM's {@code SecureRandom}, runs the app's restore hooks and acknowledges on
 * the console (see {@link org.mirari.runtime.console.RestoreMessage}).
 */
package org.mirari.runtime.internal.restore;
