/**
 * One class per target behind the sealed {@link org.mirari.tool.backend.Backend}: each builds its
 * target's outputs from a configured app (through {@code compile}, {@code pkg}, {@code image}) and
 * returns the command line that runs them as a value ({@link org.mirari.tool.backend.Launch}), so
 * tests compare it with what they expect and {@code run} only has to start it. Never prints: it
 * reports through an {@code EventSink}.
 */
package org.mirari.tool.backend;
