/**
 * Starts a built app from a backend's {@code Launch}, streams its console as events, recognises
 * its readiness lines ({@code mirari-ready: listening url=...}), forwards Ctrl-C and SIGTERM to it
 * and makes sure no process of it outlives the tool. Also checks up front that a port can be bound,
 * so a busy or privileged port fails with the fix rather than a stack trace. Uses the JDK,
 * {@code backend} (values only), {@code error} and {@code event}.
 */
package org.mirari.tool.run;
