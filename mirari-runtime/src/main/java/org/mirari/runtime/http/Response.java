package org.mirari.runtime.http;

/** An HTTP response (immutable). Fields grow with the runtime (issue 3). */
public record Response(int status, byte[] body) {}
