/**
 * Runs a built app from its backend's {@code RunSpec} ({@link org.mirari.tool.run.Foreground}: one
 * exhaustive switch, a library a supervisor can drive): streams its console as events, recognises
 * its readiness lines ({@code mirari-ready: listening url=...}), forwards Ctrl-C and SIGTERM to it
 * and makes sure no process of it outlives the tool. Also checks up front that a port can be bound,
 * so a busy or privileged port fails with the fix rather than a stack trace. Uses the JDK,
 * {@code backend} (values only), {@code plan}, {@code error} and {@code event}. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.run;
