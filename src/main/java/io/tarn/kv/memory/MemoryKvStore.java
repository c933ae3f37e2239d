package io.tarn.kv.memory;

import io.tarn.kv.KeyRange;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.util.LookAheadIterator;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link KvStore} held in this process's memory ({@code database.type: mem}); everything is lost
 * on close. For tests and throw-away servers.
 *
 * <p>Writers are serialized by one lock, so {@link #compareAndSet} and {@link #write} are atomic, and
 * readers take the shared side of it so they never observe half a batch. Scans stream over the live
 * map with a cursor and still read a snapshot: before a writer changes a key that an open scan has
 * not reached yet, it records the key's previous value in that scan's undo log, which the scan
 * prefers over the live map. Undo logs hold only keys changed while the scan is open, so a scan
 * that is never closed keeps its log alive: close every scan.
 */
public final class MemoryKvStore implements KvStore {

    /** Marks "the key was absent when the scan opened" in an undo log (compared by identity). */
    private static final byte[] ABSENT = new byte[0];

    private final ConcurrentSkipListMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(KeyRange::compare);
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();
    private final Set<Scan> openScans = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Override
    public Optional<byte[]> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        readLock.lock();
        try {
            ensureOpen();
            byte[] value = map.get(key);
            return value == null ? Optional.empty() : Optional.of(value.clone());
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        byte[] k = key.clone();
        byte[] v = value.clone();
        writeLock.lock();
        try {
            ensureOpen();
            set(k, v);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        Objects.requireNonNull(key, "key");
        byte[] k = key.clone();
        byte[] v = update == null ? null : update.clone();
        writeLock.lock();
        try {
            ensureOpen();
            byte[] current = map.get(k);
            boolean matches = expected == null ? current == null : current != null && Arrays.equals(current, expected);
            if (!matches) {
                return false;
            }
            set(k, v);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void delete(byte[] key) {
        Objects.requireNonNull(key, "key");
        writeLock.lock();
        try {
            ensureOpen();
            set(key.clone(), null);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        KeyRange range = KeyRange.prefix(prefix);
        writeLock.lock();
        try {
            ensureOpen();
            ConcurrentNavigableMap<byte[], byte[]> doomed = view(range);
            if (!openScans.isEmpty()) {
                for (Map.Entry<byte[], byte[]> e : doomed.entrySet()) {
                    remember(e.getKey(), e.getValue());
                }
            }
            doomed.clear();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void write(KvBatch batch) {
        Objects.requireNonNull(batch, "batch");
        // Validate and copy everything first, so a bad operation leaves the store untouched.
        var ops = batch.ops();
        byte[][] keys = new byte[ops.size()][];
        byte[][] values = new byte[ops.size()][];
        for (int i = 0; i < ops.size(); i++) {
            KvBatch.Op op = ops.get(i);
            keys[i] = Objects.requireNonNull(op.key(), "batch operation " + i + " has a null key").clone();
            values[i] = op.value() == null ? null : op.value().clone();
        }
        writeLock.lock();
        try {
            ensureOpen();
            for (int i = 0; i < keys.length; i++) {
                set(keys[i], values[i]);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        KeyRange range = KeyRange.scan(prefix, from);
        readLock.lock();
        try {
            ensureOpen();
            Scan scan = new Scan(range);
            if (!range.isEmpty()) {
                openScans.add(scan);
            }
            return scan;
        } finally {
            readLock.unlock();
        }
    }

    /** Closes the store and drops its content; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            closed = true;
            map.clear();
            for (Scan scan : openScans) {
                scan.undo.clear();
            }
            openScans.clear();
        } finally {
            writeLock.unlock();
        }
    }

    /** Sets (or with {@code null}, removes) one key; the caller holds the write lock. */
    private void set(byte[] key, byte[] value) {
        if (!openScans.isEmpty()) {
            remember(key, map.get(key));
        }
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    /** Records the value a key had before a write, for every open scan still to reach it. */
    private void remember(byte[] key, byte[] previous) {
        for (Scan scan : openScans) {
            if (scan.range.contains(key) && (scan.last == null || KeyRange.compare(key, scan.last) > 0)) {
                scan.undo.putIfAbsent(key, previous == null ? ABSENT : previous);
            }
        }
    }

    private ConcurrentNavigableMap<byte[], byte[]> view(KeyRange range) {
        return range.upper() == null
                ? map.tailMap(range.lower(), true)
                : map.subMap(range.lower(), true, range.upper(), false);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the in-memory metadata store is closed");
        }
    }

    /** A snapshot scan: a cursor over the live map corrected by an undo log. */
    private final class Scan extends LookAheadIterator<KvEntry> implements KvIterator {
        final KeyRange range;
        /** Keys changed after the scan opened, with their value at that time (or ABSENT). */
        final ConcurrentSkipListMap<byte[], byte[]> undo = new ConcurrentSkipListMap<>(KeyRange::compare);
        /** The last key handed out (or skipped); guarded by the store lock. */
        byte[] last;

        Scan(KeyRange range) {
            this.range = range;
            if (range.isEmpty()) {
                endIteration();
            }
        }

        @Override
        protected KvEntry computeNext() {
            readLock.lock();
            try {
                ensureOpen();
                while (true) {
                    Map.Entry<byte[], byte[]> live = last == null ? map.ceilingEntry(range.lower()) : map.higherEntry(last);
                    Map.Entry<byte[], byte[]> old = last == null ? undo.ceilingEntry(range.lower()) : undo.higherEntry(last);
                    byte[] key;
                    byte[] value;
                    if (old != null && (live == null || KeyRange.compare(old.getKey(), live.getKey()) <= 0)) {
                        key = old.getKey();
                        value = old.getValue();
                    } else if (live != null) {
                        key = live.getKey();
                        byte[] undone = undo.get(key);
                        value = undone != null ? undone : live.getValue();
                    } else {
                        key = null;
                        value = null;
                    }
                    if (key == null || !range.below(key)) {
                        finish();
                        return null;
                    }
                    last = key;
                    if (value != ABSENT) {
                        return new KvEntry(key.clone(), value.clone());
                    }
                }
            } finally {
                readLock.unlock();
            }
        }

        private void finish() {
            openScans.remove(this);
            undo.clear();
        }

        @Override
        public void close() {
            endIteration();
            openScans.remove(this);
            undo.clear();
        }
    }
}
