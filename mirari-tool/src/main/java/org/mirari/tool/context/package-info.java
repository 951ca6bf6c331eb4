/**
 * The tool's view of its process ({@link org.mirari.tool.context.ToolContext}: current directory,
 * environment, system properties, checkout), handed down from the CLI instead of read from
 * globals. Uses only the JDK. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.context;
