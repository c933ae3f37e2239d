package io.tarn.kv.rocksdb;

import io.tarn.kv.KeyRange;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvException;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.rocksdb.GroupCommit.Writes;
import io.tarn.util.LookAheadIterator;
import io.tarn.util.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompactionJobInfo;
import org.rocksdb.FlushJobInfo;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.TableFileCreationInfo;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link KvStore} in an embedded RocksDB database in one directory ({@code database.type: local}).
 *
 * <p>RocksDB's own lock file lets only one open handle use a directory, so every writer of the store
 * goes through this object and in-process locks make read-modify-writes atomic. Single-key writes
 * ({@link #put}, {@link #delete}, {@link #compareAndSet}) lock one of {@value #STRIPES} stripes chosen
 * by the key's hash; {@link #write} locks the stripes of all its keys in ascending order (so two
 * batches never deadlock) and applies one {@link WriteBatch}. Every operation also holds the shared
 * side of a "gate" lock whose exclusive side is taken by {@link #deletePrefix} (a range delete that
 * no single-key lock covers) and by {@link #close} (so no native handle is used after release).
 *
 * <p>Scans read a RocksDB snapshot through an iterator bounded by the prefix range; they hold native
 * resources until closed (or until the store closes, which releases every scan still open).
 *
 * <p>Durability ({@code database.local.sync_writes}, default on): every write is synced to the
 * write-ahead log before it returns ({@link WriteOptions#setSync}), so a write that returned survives
 * a power cut, not only a crash of the process. Concurrent writers share syncs: the writes of virtual
 * threads (the server's requests) go to one committer thread that writes everything queued as one
 * synced batch ({@link GroupCommit}), so that no request's carrier thread waits in native code for
 * the disk; writes of platform threads are synced by RocksDB itself, which groups concurrent synced
 * writers the same way (one leader appends the records of every writer waiting and syncs the log
 * once). The cost per write falls as concurrency rises (measured in bench/README.md). Without sync,
 * writes survive a crash of the process but the last ones may be lost when the machine stops.
 *
 * <p>Owner-only: the directory is {@code rwx------} (made so when it exists with wider permissions)
 * and so are its files. RocksDB creates its files with mode {@code 0644} less the process's umask and
 * its Java API offers no other mode (nor can Java set a umask), so the store takes the group's and
 * others' permissions away itself: from every file right after opening, from each table file as
 * soon as RocksDB reports it written, and from every file again after each flush and compaction
 * (which is when new write-ahead logs and manifests appear). A file of RocksDB is readable by others
 * only for that moment, and only inside a folder they cannot enter. The {@code tarn} launcher runs
 * the server with umask {@code 077}, so there RocksDB's files are owner-only from their creation.
 */
public final class RocksDbKvStore implements KvStore {

    static {
        RocksDB.loadLibrary();
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RocksDbKvStore.class);
    private static final int STRIPES = 256;
    private static final long BLOCK_CACHE_BYTES = 64L << 20;

    private final Path path;
    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final Options options;
    private final WriteOptions writeOptions;
    /** Options of the writes of {@link #deferringSync()}: to the log, not synced. */
    private final WriteOptions deferredOptions = new WriteOptions().setSync(false);
    private final boolean syncWrites;
    private final RocksDB db;
    private final OwnerOnlyFiles ownerOnly;
    /** The synced writes of virtual threads, or null when writes are not synced. */
    private final GroupCommit groupCommit;

    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final Lock shared = gate.readLock();
    private final Lock exclusive = gate.writeLock();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Set<Scan> openScans = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RocksDbKvStore(Path path, LRUCache blockCache, BloomFilter bloomFilter, Options options,
                           WriteOptions writeOptions, boolean syncWrites, RocksDB db, OwnerOnlyFiles ownerOnly) {
        this.path = path;
        this.ownerOnly = ownerOnly;
        this.syncWrites = syncWrites;
        this.blockCache = blockCache;
        this.bloomFilter = bloomFilter;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
        this.groupCommit = syncWrites ? new GroupCommit(db, writeOptions, "tarn-kv-commit " + path.getFileName()) : null;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Opens (creating if needed) the store in directory {@code path}, syncing every write. */
    public static RocksDbKvStore open(Path path) {
        return open(path, true);
    }

    /**
     * Opens (creating if needed) the store in directory {@code path}; a directory it creates is
     * owner-only ({@code rwx------}).
     *
     * @param syncWrites sync the write-ahead log before each write returns ({@code database.local.sync_writes})
     * @throws KvException if the directory cannot be created or RocksDB cannot open it (for example
     *                     because another server holds it)
     */
    public static RocksDbKvStore open(Path path, boolean syncWrites) {
        Objects.requireNonNull(path, "path");
        try {
            OwnerOnly.createDirectories(path);
            OwnerOnly.restrictTree(path);
        } catch (IOException e) {
            throw new KvException("cannot create the metadata store directory " + path + ": " + e, e);
        }
        LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
        BloomFilter bloom = new BloomFilter(10);
        Options options = null;
        WriteOptions writeOptions = null;
        OwnerOnlyFiles ownerOnly = new OwnerOnlyFiles(path);
        try {
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setWholeKeyFiltering(true)
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true)
                    .setBlockSize(16 * 1024);
            options = new Options()
                    .setCreateIfMissing(true)
                    .setTableFormatConfig(table)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                    .setLevelCompactionDynamicLevelBytes(true)
                    .setMemtableWholeKeyFiltering(true)
                    .setMemtablePrefixBloomSizeRatio(0.05)
                    .setMaxBackgroundJobs(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())))
                    .setBytesPerSync(1 << 20)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                    .setKeepLogFileNum(3)
                    .setMaxLogFileSize(8 << 20)
                    .setListeners(List.of(ownerOnly));
            writeOptions = new WriteOptions().setSync(syncWrites);
            RocksDB db = RocksDB.open(options, path.toString());
            ownerOnly.sweepQuietly(); // the write-ahead log, manifest, options and info log of this opening
            return new RocksDbKvStore(path, cache, bloom, options, writeOptions, syncWrites, db, ownerOnly);
        } catch (RocksDBException | RuntimeException e) {
            if (writeOptions != null) {
                writeOptions.close();
            }
            if (options != null) {
                options.close();
            }
            ownerOnly.close();
            bloom.close();
            cache.close();
            if (e instanceof RocksDBException r) {
                throw new KvException("cannot open the metadata store at " + path + ": " + message(r)
                        + " (is another Tarn server using it?)", r);
            }
            throw (RuntimeException) e;
        }
    }

    /** Flushes the memtable to a table file and compacts the whole key space (maintenance, and tests). */
    void flushAndCompact() {
        withSharedLock("compact", () -> {
            try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            db.compactRange();
            return null;
        });
    }

    /** Whether every write is synced to the write-ahead log before it returns. */
    public boolean syncsWrites() {
        return syncWrites;
    }

    /** Writes handed to the group committer so far (zero when writes are not synced). */
    long groupCommitWrites() {
        return groupCommit == null ? 0 : groupCommit.writes();
    }

    /** Synced batches the group committer wrote for them. */
    long groupCommitGroups() {
        return groupCommit == null ? 0 : groupCommit.groups();
    }

    /** The directory of this store. */
    public Path path() {
        return path;
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        return withSharedLock("read", () -> Optional.ofNullable(db.get(key)));
    }

    /** One {@code MultiGet}: every key read from the same implicit snapshot. */
    @Override
    public List<Optional<byte[]>> getAll(List<byte[]> keys) {
        keys.forEach(k -> Objects.requireNonNull(k, "key"));
        if (keys.isEmpty()) {
            return List.of();
        }
        return withSharedLock("read", () -> {
            List<byte[]> found = db.multiGetAsList(keys);
            List<Optional<byte[]>> values = new ArrayList<>(found.size());
            for (byte[] v : found) {
                values.add(Optional.ofNullable(v));
            }
            return values;
        });
    }

    @Override
    public void put(byte[] key, byte[] value) {
        put(key, value, true);
    }

    /** @param durable sync before returning (when the store syncs); else leave it to a later synced write */
    private void put(byte[] key, byte[] value, boolean durable) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        WriteOptions options = durable ? writeOptions : deferredOptions;
        withKeyLock(key, "write", () -> {
            if (durable && handsOff()) {
                groupCommit.write(batch -> batch.put(key, value));
            } else {
                db.put(options, key, value);
            }
            return null;
        });
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        return compareAndSet(key, expected, update, true);
    }

    /**
     * The view whose puts and compare-and-sets are written to the log without waiting for its sync:
     * RocksDB appends every write to one write-ahead log in order and a synced write syncs the log up
     * to itself (its documentation's "every Nth write synchronous" scheme), so such a write is durable
     * once a later synced write returns. Deletes and batches stay synced.
     */
    @Override
    public KvStore deferringSync() {
        return syncWrites ? deferring : this;
    }

    private final KvStore deferring = new KvStore() {
        @Override
        public Optional<byte[]> get(byte[] key) {
            return RocksDbKvStore.this.get(key);
        }

        @Override
        public List<Optional<byte[]>> getAll(List<byte[]> keys) {
            return RocksDbKvStore.this.getAll(keys);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            RocksDbKvStore.this.put(key, value, false);
        }

        @Override
        public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
            return RocksDbKvStore.this.compareAndSet(key, expected, update, false);
        }

        @Override
        public void delete(byte[] key) {
            RocksDbKvStore.this.delete(key);
        }

        @Override
        public void deletePrefix(byte[] prefix) {
            RocksDbKvStore.this.deletePrefix(prefix);
        }

        @Override
        public KvIterator scan(byte[] prefix, byte[] from) {
            return RocksDbKvStore.this.scan(prefix, from);
        }

        @Override
        public void write(KvBatch batch) {
            RocksDbKvStore.this.write(batch);
        }

        @Override
        public KvStore deferringSync() {
            return this;
        }

        @Override
        public void close() {
            RocksDbKvStore.this.close();
        }
    };

    private boolean compareAndSet(byte[] key, byte[] expected, byte[] update, boolean durable) {
        Objects.requireNonNull(key, "key");
        WriteOptions writeOptions = durable ? this.writeOptions : deferredOptions;
        return withKeyLock(key, "compare-and-set", () -> {
            byte[] current = db.get(key);
            boolean matches = expected == null ? current == null : current != null && Arrays.equals(current, expected);
            if (!matches) {
                return false;
            }
            if (update == null) {
                if (current == null) {
                    return true;
                }
                if (durable && handsOff()) {
                    groupCommit.write(batch -> batch.delete(key));
                } else {
                    db.delete(writeOptions, key);
                }
            } else if (durable && handsOff()) {
                groupCommit.write(batch -> batch.put(key, update));
            } else {
                db.put(writeOptions, key, update);
            }
            return true;
        });
    }

    /**
     * Whether this write goes to the {@link GroupCommit} committer: when it is synced and made on a
     * virtual thread, which would otherwise hold its carrier while the disk syncs. A platform thread
     * writes itself (RocksDB still groups concurrent synced writers).
     */
    private boolean handsOff() {
        return groupCommit != null && Thread.currentThread().isVirtual();
    }

    /** A store operation that may fail in RocksDB. */
    @FunctionalInterface
    private interface RocksOperation<T> {
        T run() throws RocksDBException;
    }

    /**
     * Runs {@code operation} holding the shared side of the gate (so close() cannot free the
     * database under it) and the stripe lock of {@code key} (so a compare-and-set and any other
     * single-key write of the same key never interleave).
     */
    private <T> T withKeyLock(byte[] key, String what, RocksOperation<T> operation) {
        ReentrantLock stripe = stripe(key);
        return withSharedLock(what, () -> {
            stripe.lock();
            try {
                return operation.run();
            } finally {
                stripe.unlock();
            }
        });
    }

    /** Runs a read-only {@code operation} holding the shared side of the gate. */
    private <T> T withSharedLock(String what, RocksOperation<T> operation) {
        shared.lock();
        try {
            ensureOpen();
            return operation.run();
        } catch (RocksDBException e) {
            throw failure(what, e);
        } finally {
            shared.unlock();
        }
    }

    @Override
    public void delete(byte[] key) {
        Objects.requireNonNull(key, "key");
        withKeyLock(key, "delete", () -> {
            if (handsOff()) {
                groupCommit.write(batch -> batch.delete(key));
            } else {
                db.delete(writeOptions, key);
            }
            return null;
        });
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        KeyRange range = KeyRange.prefix(prefix);
        exclusive.lock();
        try {
            ensureOpen();
            if (range.upper() != null) {
                if (handsOff()) {
                    groupCommit.write(batch -> batch.deleteRange(range.lower(), range.upper()));
                } else {
                    db.deleteRange(writeOptions, range.lower(), range.upper());
                }
                return;
            }
            // No key bounds the prefix from above (it is empty or all 0xFF): delete up to the last key.
            byte[] last;
            try (Slice lower = new Slice(range.lower());
                 ReadOptions read = new ReadOptions().setIterateLowerBound(lower);
                 RocksIterator it = db.newIterator(read)) {
                it.seekToLast();
                if (!it.isValid()) {
                    it.status();
                    return;
                }
                last = it.key();
            }
            Writes writes = batch -> {
                batch.deleteRange(range.lower(), last);
                batch.delete(last);
            };
            apply(writes);
        } catch (RocksDBException e) {
            throw failure("delete a prefix", e);
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public void write(KvBatch batch) {
        Objects.requireNonNull(batch, "batch");
        var ops = batch.ops();
        BitSet locked = new BitSet(STRIPES);
        for (int i = 0; i < ops.size(); i++) {
            KvBatch.Op op = ops.get(i);
            byte[] key = Objects.requireNonNull(op.key(), "batch operation " + i + " has a null key");
            locked.set(stripeIndex(key));
        }
        Writes writes = into -> {
            for (KvBatch.Op op : ops) {
                if (op.value() == null) {
                    into.delete(op.key());
                } else {
                    into.put(op.key(), op.value());
                }
            }
        };
        try {
            shared.lock();
            try {
                for (int s = locked.nextSetBit(0); s >= 0; s = locked.nextSetBit(s + 1)) {
                    stripes[s].lock();
                }
                try {
                    ensureOpen();
                    apply(writes);
                } finally {
                    for (int s = locked.nextSetBit(0); s >= 0; s = locked.nextSetBit(s + 1)) {
                        stripes[s].unlock();
                    }
                }
            } finally {
                shared.unlock();
            }
        } catch (RocksDBException e) {
            throw failure("write a batch", e);
        }
    }

    /** Writes {@code writes} as one batch, through the committer when {@link #handsOff()}; the caller holds its locks. */
    private void apply(Writes writes) throws RocksDBException {
        if (handsOff()) {
            groupCommit.write(writes);
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            writes.addTo(batch);
            db.write(writeOptions, batch);
        }
    }

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        KeyRange range = KeyRange.scan(prefix, from);
        shared.lock();
        try {
            ensureOpen();
            if (range.isEmpty()) {
                return new Scan();
            }
            Scan scan = new Scan(range);
            openScans.add(scan);
            return scan;
        } finally {
            shared.unlock();
        }
    }

    /** Releases every open scan and native handle; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Scan scan : openScans) {
                scan.release();
            }
            openScans.clear();
            try {
                if (groupCommit != null) {
                    groupCommit.close(); // idle: every writer holds the gate's shared side until its write returns
                }
                db.closeE();
            } catch (RocksDBException e) {
                throw failure("close", e);
            } finally {
                writeOptions.close();
                deferredOptions.close();
                options.close();
                ownerOnly.close();
                bloomFilter.close();
                blockCache.close();
            }
        } finally {
            exclusive.unlock();
        }
    }

    private static int stripeIndex(byte[] key) {
        int h = Arrays.hashCode(key);
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    private ReentrantLock stripe(byte[] key) {
        return stripes[stripeIndex(key)];
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the metadata store at " + path + " is closed");
        }
    }

    private KvException failure(String action, RocksDBException e) {
        return new KvException("metadata store at " + path + " failed to " + action + ": " + message(e), e);
    }

    private static String message(RocksDBException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getStatus() == null ? e.toString() : String.valueOf(e.getStatus().getCodeString());
    }

    /** An iterator over a snapshot, bounded to the scan's key range. */
    /**
     * Takes the group's and others' permissions away from the files RocksDB creates (see the class
     * comment). Runs on RocksDB's background threads: it must never throw into native code.
     */
    private static final class OwnerOnlyFiles extends AbstractEventListener {
        private final Path dir;

        OwnerOnlyFiles(Path dir) {
            super(EnabledEventCallback.ON_TABLE_FILE_CREATED, EnabledEventCallback.ON_FLUSH_COMPLETED,
                    EnabledEventCallback.ON_COMPACTION_COMPLETED);
            this.dir = dir;
        }

        @Override
        public void onTableFileCreated(TableFileCreationInfo info) {
            try {
                Path file = Path.of(info.getFilePath());
                if (java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    OwnerOnly.restrictTree(file);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot make the metadata file {} owner-only: {}", info.getFilePath(), e.toString());
            }
        }

        @Override
        public void onFlushCompleted(RocksDB db, FlushJobInfo info) {
            sweepQuietly();
        }

        @Override
        public void onCompactionCompleted(RocksDB db, CompactionJobInfo info) {
            sweepQuietly();
        }

        void sweepQuietly() {
            try {
                OwnerOnly.restrictTree(dir);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot make the files of the metadata store {} owner-only: {}", dir, e.toString());
            }
        }
    }

    private final class Scan extends LookAheadIterator<KvEntry> implements KvIterator {
        private final Snapshot snapshot;
        private final Slice lower;
        private final Slice upper;
        private final ReadOptions readOptions;
        private final RocksIterator iterator;
        private boolean released;

        /** An empty scan holding nothing. */
        Scan() {
            snapshot = null;
            lower = null;
            upper = null;
            readOptions = null;
            iterator = null;
            endIteration();
            released = true;
        }

        /** Opens a scan; the caller holds the gate. */
        Scan(KeyRange range) {
            snapshot = db.getSnapshot();
            lower = new Slice(range.lower());
            upper = range.upper() == null ? null : new Slice(range.upper());
            readOptions = new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lower);
            if (upper != null) {
                readOptions.setIterateUpperBound(upper);
            }
            iterator = db.newIterator(readOptions);
            iterator.seek(range.lower());
        }

        @Override
        protected KvEntry computeNext() {
            shared.lock();
            try {
                ensureOpen();
                if (released) {
                    return null;
                }
                if (iterator.isValid()) {
                    KvEntry entry = new KvEntry(iterator.key(), iterator.value());
                    iterator.next();
                    return entry;
                }
                iterator.status();
                openScans.remove(this);
                release();
                return null;
            } catch (RocksDBException e) {
                throw failure("scan", e);
            } finally {
                shared.unlock();
            }
        }

        @Override
        public void close() {
            shared.lock();
            try {
                endIteration();
                openScans.remove(this);
                if (!closed) {
                    release();
                }
            } finally {
                shared.unlock();
            }
        }

        /** Frees the native resources, once; the caller holds the gate (either side). */
        void release() {
            if (released) {
                return;
            }
            released = true;
            iterator.close();
            readOptions.close();
            lower.close();
            if (upper != null) {
                upper.close();
            }
            db.releaseSnapshot(snapshot);
        }
    }
}
