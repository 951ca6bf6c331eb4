package org.mirari.net.nio;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

final class StackSelectionKey extends AbstractSelectionKey {
    private final SelectableChannel channel;
    private final StackSelector selector;
    private volatile int interestOps;
    private volatile int readyOps;

    StackSelectionKey(SelectableChannel channel, StackSelector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        if (!isValid()) throw new CancelledKeyException();
        return interestOps;
    }

    @Override
    public java.nio.channels.SelectionKey interestOps(int ops) {
        if (!isValid()) throw new CancelledKeyException();
        if ((ops & ~channel.validOps()) != 0)
            throw new IllegalArgumentException("ops " + ops + " not valid for " + channel);
        interestOps = ops;
        selector.changed();
        return this;
    }

    @Override
    public int readyOps() {
        if (!isValid()) throw new CancelledKeyException();
        return readyOps;
    }

    void setReadyOps(int ops) {
        readyOps = ops;
    }

    int rawInterestOps() {
        return interestOps;
    }
}
