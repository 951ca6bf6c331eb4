/**
 * The config language: reads a {@code <name>.conf} (the original Mirage builder's format) and
 * {@code --set KEY=VALUE} overrides into a {@link org.mirari.tool.config.Config}, a tree of records
 * in which every value keeps the {@code file:line:col} it came from. Validation happens here, at
 * parse time, and reports every problem of a file at once in one
 * {@link org.mirari.tool.error.ConfigException}. Uses only the JDK, {@code error}, {@code targets}
 * (the closed set of targets a {@code compiler: ...+target} may name) and the runtime's
 * {@code BootParameters} (the boot-time defaults the app and the tool share). The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.config;
