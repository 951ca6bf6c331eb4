package org.mirari.net.nio;

/** What a selector needs from the channels of this provider. */
interface StackChannel {
    /** The operations that would not block now (a subset of the channel's valid ops). */
    int readyOps();

    /** Asks to be told, through {@link StackSelector#changed()}, when {@link #readyOps()} may have changed. */
    void watch(StackSelector selector);

    void unwatch(StackSelector selector);
}
