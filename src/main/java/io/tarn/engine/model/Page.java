package io.tarn.engine.model;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param nextOffset the key to pass as {@code after} for the next page; {@code null} on the last page
 */
public record Page<T>(List<T> items, boolean hasMore, String nextOffset) {
    public Page {
        items = List.copyOf(items);
    }
}
