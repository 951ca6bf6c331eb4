package org.mirari.tool.supervise;

import java.util.Locale;

/** Where an instance is in its life, as {@code mirari ps} shows it. */
public enum State {
    /** The supervisor is preparing or starting the app, or the app has not said it is ready. */
    STARTING,
    /** The app is ready (listening, or started when it listens on nothing). */
    RUNNING,
    /** The app ended and its restart policy starts it again after a backoff. */
    RESTARTING,
    /** The app ended (or was stopped) and will not be restarted: its exit code is kept. */
    EXITED,
    /** The restart policy gave up: the app failed too often too quickly, or could not start at all. */
    CRASHED;

    /** Whether a supervisor is meant to be alive in this state. */
    public boolean live() {
        return this == STARTING || this == RUNNING || this == RESTARTING;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
