package org.mirari.runtime.http;

/** An HTTP request as the app sees it (immutable). Fields grow with the runtime (issue 3). */
public record Request(String method, String path) {}
