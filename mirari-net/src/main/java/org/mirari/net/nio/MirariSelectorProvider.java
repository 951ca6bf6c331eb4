package org.mirari.net.nio;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import org.mirari.net.NetClock;
import org.mirari.net.stack.NetStack;

/**
 * The {@link SelectorProvider} that puts JDK channels on Mirari's stack. Set it with
 * {@code -Djava.nio.channels.spi.SelectorProvider=org.mirari.net.nio.MirariSelectorProvider};
 * it then serves {@code Selector.open()}, {@code Pipe.open()} and {@code DatagramChannel.open()}
 * {@code SocketChannel.open()} and {@code ServerSocketChannel.open()} in the whole JVM, using the stack
 * installed in {@link MirariNet}.
 */
public class MirariSelectorProvider extends SelectorProvider {
    private final NetStack stack;
    private final NetClock clock;

    /** The JVM-wide provider: uses the stack installed with {@link MirariNet#install}. */
    public MirariSelectorProvider() {
        this(null, null);
    }

    /** A provider bound to one stack (tests, or several stacks in one JVM). */
    public MirariSelectorProvider(NetStack stack, NetClock clock) {
        this.stack = stack;
        this.clock = clock;
    }

    private NetStack stack() throws IOException {
        return stack != null ? stack : MirariNet.stack();
    }

    private NetClock clock() {
        return clock != null ? clock : MirariNet.clock();
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new StackDatagramChannel(this, stack(), clock());
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        StackDatagramChannel.check(family);
        return openDatagramChannel();
    }

    @Override
    public Pipe openPipe() {
        return new StackPipe(this);
    }

    @Override
    public AbstractSelector openSelector() {
        return new StackSelector(this);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new StackServerSocketChannel(this, stack());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        StackDatagramChannel.check(family);
        return openServerSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new StackSocketChannel(this, stack());
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        StackDatagramChannel.check(family);
        return openSocketChannel();
    }
}
