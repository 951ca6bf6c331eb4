package org.mirari.tool.run;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The process a run is on now (a VM booted again after a crash is a new one) and whether the run's
 * owner asked it to stop, so that {@link RunHandle#stop} reaches whichever process is current and no
 * new one starts after it.
 */
final class CurrentProcess {
    private final Runnable onStarted;
    private AppProcess current;
    private boolean stopping;

    /** @param onStarted run each time a process has started */
    CurrentProcess(Runnable onStarted) {
        this.onStarted = onStarted;
    }

    /** Makes {@code next} the current process and starts it; false when a stop came first. */
    boolean start(AppProcess next) throws java.io.IOException {
        synchronized (this) {
            if (stopping) return false;
            current = next;
        }
        // A stop between here and the spawn reaches next, which then does not start.
        next.onStarted(onStarted);
        return next.start();
    }

    void stop(Duration grace) {
        AppProcess p;
        synchronized (this) {
            stopping = true;
            p = current;
        }
        if (p != null) p.stop(grace);
    }

    synchronized boolean stopping() {
        return stopping;
    }

    synchronized OptionalLong pid() {
        return current == null ? OptionalLong.empty() : current.pid();
    }
}
