/**
 * One class per target behind the sealed {@link org.mirari.tool.backend.Backend}: each builds its
 * target's outputs from a configured app ({@link org.mirari.tool.backend.AppBuild}, through
 * {@code compile}, {@code pkg}, {@code image} and {@code output}) and describes how to run them as
 * a value ({@link org.mirari.tool.backend.RunSpec}), so tests compare it with what they expect and
 * {@code run} only carries it out. What the VM targets share is {@code VmImages} (the build) and
 * {@code VmGuest} (the guest); the machine itself is an explicit {@link org.mirari.tool.backend.Host}.
 * Never prints: it reports through an {@code EventSink}. May use {@code image}, {@code compile},
 * {@code pkg}, {@code output}, {@code plan}, {@code config}, {@code context}, {@code targets},
 * {@code error} and {@code event}. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.backend;
