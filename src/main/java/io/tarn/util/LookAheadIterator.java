package io.tarn.util;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that computes its elements one ahead: {@link #hasNext()} asks {@link #computeNext()}
 * for the next element and holds it until {@link #next()} hands it out. Once {@code computeNext()}
 * returns {@code null} (or {@link #endIteration()} is called) the iterator stays at its end and
 * {@code computeNext()} is not called again. If {@code computeNext()} throws, nothing is buffered and
 * the next {@code hasNext()} asks again.
 */
public abstract class LookAheadIterator<T> implements Iterator<T> {

    private T next;
    private boolean ended;

    /** The next element, or {@code null} when there are no more. */
    protected abstract T computeNext();

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            next = computeNext();
            if (next == null) {
                ended = true;
            }
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T t = next;
        next = null;
        return t;
    }

    /** Ends the iteration now (for example on close): drops a buffered element, {@code hasNext()} is false from now on. */
    protected final void endIteration() {
        ended = true;
        next = null;
    }
}
