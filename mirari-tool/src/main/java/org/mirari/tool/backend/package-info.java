/**
 * One class per target behind the sealed {@link org.mirari.tool.backend.Backend}: each says what
 * its build makes ({@link org.mirari.tool.backend.Artifact}: an app jar, or a VM image and the files
 * made from it), which files that writes, and describes how to run the result as a value
 * ({@link org.mirari.tool.backend.RunSpec}), so tests compare it with what they expect, the
 * {@code pipeline} builds it and {@code run} only carries it out. What the VM targets share is
 * {@code VmImages} (the image's files and manifest) and {@code VmGuest} (the guest); the machine
 * itself is an explicit {@link org.mirari.tool.backend.Host}. Never prints. May use {@code image},
 * {@code pkg}, {@code plan}, {@code config}, {@code context}, {@code targets}, {@code json},
 * {@code error} and {@code event}. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says
 * the same.
 */
package org.mirari.tool.backend;
