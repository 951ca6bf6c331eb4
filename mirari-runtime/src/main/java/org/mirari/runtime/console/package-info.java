/**
 * The console protocol between an app and the {@code mirari} tool: the readiness lines an app
 * prints ({@link org.mirari.runtime.console.ReadyLine}) and how the tool's console renders them and
 * how a run ends ({@link org.mirari.runtime.console.ToolConsole}). One implementation, used by the
 * runtime's boot and by the tool, so that a run through the tool and the launcher's quick run (the
 * app in the tool's place) look and end the same. JDK only.
 */
package org.mirari.runtime.console;
