package org.mirari.net.nio;

import java.util.concurrent.CopyOnWriteArraySet;

/** The selectors a channel tells about readiness changes. */
final class Watchers {
    private final CopyOnWriteArraySet<StackSelector> selectors = new CopyOnWriteArraySet<>();

    void add(StackSelector s) {
        selectors.add(s);
    }

    void remove(StackSelector s) {
        selectors.remove(s);
    }

    void changed() {
        for (var s : selectors) s.changed();
    }
}
