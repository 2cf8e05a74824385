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

/**
 * A selector over simulated sockets: never blocks. Level-triggered like a real one, without looking at every key on
 * every select: a key is a candidate when registered, when its interest changes and when its channel's state
 * changes ({@link Readiness#key}); a candidate stays one while it is ready, and is dropped when it is not. Candidates
 * are looked at in the order they became candidates, so a run is the same for the same inputs.
 */
final class SimSelector extends AbstractSelector {
    private final Set<SelectionKey> keys = new LinkedHashSet<>();
    private final Set<SelectionKey> selected = new LinkedHashSet<>();
    private final java.util.ArrayList<Key> candidates = new java.util.ArrayList<>();

    SimSelector(SimHost host) {
        super(host);
    }

    /** What a simulated channel is ready for now. */
    interface Readiness {
        int readyOps();

        /** The channel's key, told when it is registered: the channel calls {@link Key#changed} on news. */
        void key(Key key);
    }

    static final class Key extends AbstractSelectionKey {
        private final SimSelector selector;
        private final AbstractSelectableChannel channel;
        private int interest;
        private int ready;
        private boolean candidate;

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
            if (ops != interest) {
                interest = ops;
                changed();
            }
            return this;
        }

        /** The channel's state or this key's interest changed: look at it on the next select. */
        void changed() {
            if (!candidate) {
                candidate = true;
                selector.candidates.add(this);
            }
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
        ((Readiness) ch).key(k);
        k.changed();
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
                candidates.remove(k);
                ((Key) k).candidate = false;
                selected.remove(k);
                deregister((AbstractSelectionKey) k);
            }
            cancelled.clear();
        }
        int n = 0;
        int kept = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Key key = candidates.get(i);
            int ready = key.isValid() ? ((Readiness) key.channel).readyOps() & key.interest : 0;
            if (ready == 0) {
                key.candidate = false;
                continue;
            }
            candidates.set(kept++, key); // level-triggered: still ready, so still a candidate
            key.ready = ready;
            if (selected.add(key)) {
                n++;
            }
        }
        candidates.subList(kept, candidates.size()).clear();
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
