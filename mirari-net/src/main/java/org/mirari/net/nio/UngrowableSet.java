package org.mirari.net.nio;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;

/** The selected-key set as the JDK hands it out: elements may be removed, never added. */
final class UngrowableSet<E> extends AbstractSet<E> {
    private final Set<E> inner;

    UngrowableSet(Set<E> inner) {
        this.inner = inner;
    }

    @Override
    public Iterator<E> iterator() {
        return inner.iterator();
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public boolean contains(Object o) {
        return inner.contains(o);
    }

    @Override
    public boolean remove(Object o) {
        return inner.remove(o);
    }

    @Override
    public void clear() {
        inner.clear();
    }

    @Override
    public boolean add(E e) {
        throw new UnsupportedOperationException("the selected-key set cannot grow");
    }
}
