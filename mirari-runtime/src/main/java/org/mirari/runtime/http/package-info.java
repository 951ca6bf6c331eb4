/**
 * The HTTP API of {@code main-http} apps: immutable {@link org.mirari.runtime.http.Request}
 * and {@link org.mirari.runtime.http.Response} records, {@link org.mirari.runtime.http.Headers},
 * and the handler type {@link org.mirari.runtime.http.HttpApp}. The server behind it is
 * HTTP/1.1 over JDK NIO channels (see the README's "The app runtime" for its behaviour).
 */
package org.mirari.runtime.http;
