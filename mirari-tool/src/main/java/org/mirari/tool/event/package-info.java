/**
 * How the core talks to the outside world without printing: every step emits
 * {@link org.mirari.tool.event.Event}s (step started and finished, warnings, files written,
 * readiness, app output) to an {@link org.mirari.tool.event.EventSink}; only {@code cli} renders
 * them. Depends on nothing else of the tool.
 */
package org.mirari.tool.event;
