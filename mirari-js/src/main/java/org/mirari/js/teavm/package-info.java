/**
 * Mirari's TeaVM extensions, found by TeaVM through {@code ServiceLoader}: the class substitutions
 * ({@code org.mirari.js.runtime} for the runtime, {@code org.mirari.js.classlib} for missing JDK
 * classes) and a plugin adding missing JDK methods ({@code String.lines()}).
 */
package org.mirari.js.teavm;
