package io.tarn.kv;

import java.util.Iterator;

/** A streaming, ordered iterator over store entries; must be closed to release resources. */
public interface KvIterator extends Iterator<KvEntry>, AutoCloseable {
    @Override
    void close();
}
