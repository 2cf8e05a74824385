package dev.freshet.engine.sim;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.AbstractSelector;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** A selector over simulated sockets: never blocks; keys in the order they were registered. */
final class SimSelector extends AbstractSelector {
    private final Set<SelectionKey> keys = new LinkedHashSet<>();
    private final Set<SelectionKey> selected = new LinkedHashSet<>();

    SimSelector(SimHost host) {
        super(host);
    }

    /** What a simulated channel is ready for now. */
    interface Readiness {
        int readyOps();
    }

    static final class Key extends AbstractSelectionKey {
        private final SimSelector selector;
        private final AbstractSelectableChannel channel;
        private int interest;
        private int ready;

        Key(SimSelector selector, AbstractSelectableChannel channel, int interest, Object attachment) {
            this.selector = selector;
            this.channel = channel;
            this.interest = interest;
            attach(attachment);
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
            return interest;
        }

        @Override
        public SelectionKey interestOps(int ops) {
            interest = ops;
            return this;
        }

        @Override
        public int readyOps() {
            return ready;
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        Key k = new Key(this, ch, ops, att);
        keys.add(k);
        return k;
    }

    @Override
    protected void implCloseSelector() {
        keys.clear();
        selected.clear();
    }

    @Override
    public Set<SelectionKey> keys() {
        return Collections.unmodifiableSet(keys);
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        return selected;
    }

    @Override
    public int selectNow() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            for (SelectionKey k : cancelled) {
                keys.remove(k);
                selected.remove(k);
                deregister((AbstractSelectionKey) k);
            }
            cancelled.clear();
        }
        int n = 0;
        for (SelectionKey k : keys) {
            Key key = (Key) k;
            if (!key.isValid()) {
                continue;
            }
            int ready = ((Readiness) key.channel).readyOps() & key.interest;
            if (ready != 0) {
                key.ready = ready;
                if (selected.add(key)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public int select(long timeout) {
        return selectNow();
    }

    @Override
    public int select() {
        return selectNow();
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Selector wakeup() {
        return this; // never blocks
    }
}
