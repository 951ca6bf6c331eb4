package org.mirari.runtime;

/** A {@code main-noip} entry point: runs with no network configured. */
@FunctionalInterface
public interface NoIpApp {
    void run() throws Exception;
}
