/**
 * JavaScript substitutes of runtime classes: TeaVM compiles {@code org.mirari.js.runtime.X} in
 * place of {@code org.mirari.runtime.X} (same public methods), so the JVM's classes keep their
 * own code with no platform test on their path. {@code Mirari}'s boot finds its caller with
 * {@code StackWalker}, exits with {@code System.exit} and serves HTTP on NIO with virtual threads;
 * {@code internal.kv.PackedKvStore} maps its pack with FFM: JavaScript has none of these.
 */
package org.mirari.js.runtime;
