/**
 * {@code mirari doctor}: what this machine can do for each target, as values ({@link
 * org.mirari.tool.doctor.Check}s, then each target's readiness), each failed check with the exact
 * command that fixes it. The probes are the tool's own where it has them (finding QEMU and the
 * KVM answer through {@code backend.Host}, the Maven settings through {@code resolve}), so the
 * doctor says what a run would find. Uses {@code backend}, {@code resolve}, {@code targets},
 * {@code context} and {@code error}; prints nothing (the CLI renders the checks).
 */
package org.mirari.tool.doctor;
