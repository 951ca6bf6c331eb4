/**
 * The {@code --js} target's compiler ({@link org.mirari.js.TeaVmCompiler}): TeaVM's tool API in the
 * tool's JVM, behind the tool's {@code org.mirari.tool.js.JsCompiler}. The tool loads this module
 * in a class loader of its own, only when a {@code --js} build runs. The sub-packages are what
 * TeaVM compiles with the app ({@code runtime}, {@code boot}, {@code host}, {@code lang},
 * {@code classlib}) and what it runs as plugins ({@code teavm}).
 */
package org.mirari.js;
