package io.tarn.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The metadata store: an ordered map of byte-string keys to byte-string values.
 *
 * <p>This is the only place where metadata state lives, so several Tarn servers sharing one store
 * (PostgreSQL, later) must see each other's writes. Correctness of every read-modify-write in the
 * engine rests on {@link #compareAndSet}: implementations must make it atomic with respect to every
 * other writer of the same store, not only to threads of one process.
 *
 * <p>Keys are compared as unsigned bytes. Values are never {@code null}; absence is
 * {@link Optional#empty()}.
 */
public interface KvStore extends AutoCloseable {

    /** The value stored under {@code key}, if any. */
    Optional<byte[]> get(byte[] key);

    /**
     * The values stored under several keys, in the order of {@code keys} (an absent key gives
     * {@link Optional#empty()}), in one round trip where the store has round trips. Each key is read
     * no earlier than the keys before it in the list, or all of them from one snapshot: so a caller
     * that lists a record after the records it depends on (a staged entry, then the branch that says
     * which staging area is current) never sees the dependent record older than what it depends on.
     */
    default List<Optional<byte[]>> getAll(List<byte[]> keys) {
        List<Optional<byte[]>> values = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            values.add(get(key));
        }
        return values;
    }

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    void put(byte[] key, byte[] value);

    /**
     * Atomically replaces the value under {@code key} with {@code update} if and only if the current
     * value equals {@code expected} byte for byte.
     *
     * @param expected the value that must be present, or {@code null} for "the key must be absent"
     * @param update   the new value, or {@code null} to delete the key
     * @return {@code true} if the swap happened; {@code false} if the current value differed
     */
    boolean compareAndSet(byte[] key, byte[] expected, byte[] update);

    /** Removes {@code key}; removing an absent key is not an error. */
    void delete(byte[] key);

    /** Removes every key that starts with {@code prefix}. */
    void deletePrefix(byte[] prefix);

    /**
     * Iterates, in ascending key order, over the entries whose key starts with {@code prefix} and is
     * greater than or equal to {@code from} (pass {@code prefix} itself, or {@code null}, to start at
     * the beginning of the prefix). The iterator must be closed. It streams: implementations never
     * load the whole range in memory. It need not reflect writes made after it was opened.
     */
    KvIterator scan(byte[] prefix, byte[] from);

    /** Applies several puts and deletes atomically (all or none). */
    void write(KvBatch batch);

    /**
     * This store, with {@link #put} and {@link #compareAndSet} that may return before their write is
     * durable: such a write is durable once any later durable write of the store has returned, as the
     * store keeps its writes in one ordered log (a power cut keeps a prefix of them); reads see it at
     * once. For a write that nothing needs on its own until a later synced write publishes it (a
     * commit record before the ref that names it). The default is the store itself: every write
     * durable on its own.
     */
    default KvStore deferringSync() {
        return this;
    }

    @Override
    void close();
}
