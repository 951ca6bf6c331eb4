/**
 * The {@code --js} target's compiler, as the tool sees it: a {@link JsCompiler} loaded from the
 * {@code mirari-js} module's jars in a class loader of its own, only when a {@code --js} build
 * runs ({@code loader}), so TeaVM (tens of megabytes) never loads on the tool's everyday paths.
 * Uses the JDK, {@code loader}, {@code error} and {@code event} only.
 */
package org.mirari.tool.js;
