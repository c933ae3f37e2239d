package io.tarn.engine.tree;

import io.tarn.block.StorageNamespace;
import java.util.NoSuchElementException;

/** A seekable, sorted iterator over the records of a tree; ranges are loaded as it reaches them. */
public final class TreeCursor {
    private final RangeStore store;
    private final StorageNamespace ns;
    private final TreeIndex tree;
    private int ri;
    private RangeData cur;
    private int pos;
    private boolean positioned;

    public TreeCursor(RangeStore store, StorageNamespace ns, TreeIndex tree) {
        this.store = store;
        this.ns = ns;
        this.tree = tree;
    }

    /** Positions the cursor at the first key {@code >= key}. */
    public void seek(byte[] key) {
        positioned = true;
        ri = tree.findRange(key);
        cur = null;
        if (ri < tree.ranges().size()) {
            cur = store.load(ns, tree.ranges().get(ri));
            pos = cur.ceil(key);
            settle();
        }
    }

    private void settle() {
        while (cur != null && pos >= cur.size()) {
            ri++;
            if (ri < tree.ranges().size()) {
                cur = store.load(ns, tree.ranges().get(ri));
                pos = 0;
            } else {
                cur = null;
            }
        }
    }

    public boolean hasNext() {
        if (!positioned) {
            seek(io.tarn.engine.codec.Bytes.EMPTY);
        }
        return cur != null;
    }

    public byte[] peekKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return cur.key(pos);
    }

    public byte[] peekValue() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return cur.value(pos);
    }

    public void advance() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        pos++;
        settle();
    }
}
