/**
 * JSON string literals (RFC 8259 section 7), written in one place for every package that writes
 * JSON or YAML text ({@code backend}, {@code k8s}, {@code snapshot}, {@code cli}). A leaf: it
 * depends on the JDK only, so any package may use it without pulling in another stage.
 */
package org.mirari.tool.json;
