package io.tarn.engine.tree;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator that can show its next element without consuming it. */
public final class Peeking<T> implements Iterator<T> {
    private final Iterator<T> in;
    private T next;
    private boolean has;

    public Peeking(Iterator<T> in) {
        this.in = in;
    }

    @Override
    public boolean hasNext() {
        if (!has && in.hasNext()) {
            next = in.next();
            has = true;
        }
        return has;
    }

    public T peek() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next;
    }

    @Override
    public T next() {
        T t = peek();
        has = false;
        next = null;
        return t;
    }
}
