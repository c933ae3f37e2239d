package io.tarn.block;

import java.util.Iterator;

/** A stream of listed objects, in ascending order of their keys' UTF-8 bytes; close it when done. */
public interface BlockList extends Iterator<BlockListing>, AutoCloseable {
    @Override
    void close();
}
