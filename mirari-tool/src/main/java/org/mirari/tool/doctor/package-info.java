/**
 * {@code mirari doctor}: what this machine can do for each target, as values ({@link
 * org.mirari.tool.doctor.Check}s, then each target's readiness), each failed check with the exact
 * command that fixes it. The probes are the tool's own where it has them (programs through
 * {@code hosttool}, the KVM answer that {@code backend.Host}'s probe kept, the Maven settings
 * through {@code resolve}, the writable-directory probe of {@code error}), so the doctor says what a
 * run would find. Uses {@code backend}, {@code hosttool}, {@code resolve}, {@code context} and
 * {@code error}; prints nothing (the CLI renders the checks).
 */
package org.mirari.tool.doctor;
