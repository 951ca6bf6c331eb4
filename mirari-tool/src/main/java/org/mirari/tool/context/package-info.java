/**
 * The tool's view of its process ({@link org.mirari.tool.context.ToolContext}: current directory,
 * environment, checkout), handed down from the CLI instead of read from globals. Uses only the JDK.
 */
package org.mirari.tool.context;
