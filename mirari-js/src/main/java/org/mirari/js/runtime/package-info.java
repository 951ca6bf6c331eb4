/**
 * JavaScript substitutes of runtime classes: TeaVM compiles {@code org.mirari.js.runtime.X} in
 * place of {@code org.mirari.runtime.X} (same public methods), so the JVM's classes keep their
 * own code with no platform test on their path. Only {@code Mirari} needs one: its boot finds its
 * caller with {@code StackWalker}, maps packs with FFM, exits with {@code System.exit} and serves
 * HTTP on NIO with virtual threads, none of which JavaScript has.
 */
package org.mirari.js.runtime;
