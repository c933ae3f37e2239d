package io.tarn.engine.tree;

/**
 * One range of a tree, as listed in the tree index.
 *
 * @param id     hex SHA-256 over the range's length-prefixed keys and values (content address)
 * @param minKey its first key
 * @param maxKey its last key
 * @param count  number of records
 * @param bytes  total size of keys and values
 */
public record RangeRef(String id, byte[] minKey, byte[] maxKey, long count, long bytes) {}
