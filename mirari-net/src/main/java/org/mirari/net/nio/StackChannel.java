package org.mirari.net.nio;

/** What a selector needs from the channels of this provider. */
interface StackChannel {
    /** The operations that would not block now (a subset of the channel's valid ops). */
    int readyOps();

    /** The selectors to tell, through {@link StackSelector#changed()}, when {@link #readyOps()} may have changed. */
    Watchers watchers();

    /** Asks to be told when {@link #readyOps()} may have changed. */
    default void watch(StackSelector selector) {
        watchers().add(selector);
    }

    default void unwatch(StackSelector selector) {
        watchers().remove(selector);
    }
}
