package org.mirari.tool.event;

import java.util.ArrayList;
import java.util.List;

/** Where the core sends {@link Event}s. Implementations must be thread-safe. */
@FunctionalInterface
public interface EventSink {
    void emit(Event event);

    /** Discards everything. */
    static EventSink none() {
        return event -> {};
    }

    /** Records events, for tests. */
    final class Recording implements EventSink {
        private final List<Event> events = new ArrayList<>();

        @Override
        public synchronized void emit(Event event) {
            events.add(event);
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }
    }
}
