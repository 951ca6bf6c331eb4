/**
 * What a Mirari app's generated {@code Main} calls: {@link org.mirari.runtime.Mirari}'s entry
 * points (one per entry kind: {@code main-http}, {@code main-ip}, {@code main-noip}), the
 * app's build-time description {@link org.mirari.runtime.AppSpec} and its boot-time
 * parameters {@link org.mirari.runtime.BootParameters}. The API is small on purpose; the
 * engine lives in the module's non-exported {@code internal} packages.
 */
package org.mirari.runtime;
