package org.mirari.runtime.http;

/** A {@code main-http} entry point: turns each request into a response. Called concurrently. */
@FunctionalInterface
public interface HttpApp {
    Response handle(Request request) throws Exception;
}
