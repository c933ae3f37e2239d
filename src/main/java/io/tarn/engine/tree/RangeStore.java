package io.tarn.engine.tree;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.tarn.block.BlockBatch;
import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.util.Caches;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rocksdb.CompressionType;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;
import org.rocksdb.SstFileWriter;

/**
 * Immutable range files. A range is written once as a RocksDB SST file (through {@link SstFileWriter}),
 * kept in a bounded local disk cache, and uploaded to {@code <namespace>/_tarn/ranges/<id>}. Reads
 * decode a whole range into a {@link RangeData} kept in a bounded in-memory cache (Caffeine, by bytes); a miss there reads the
 * local file, and a miss on disk downloads it once (concurrent first reads share one download).
 */
public final class RangeStore implements AutoCloseable {

    public static final String PREFIX = "_tarn/ranges/";

    static {
        RocksDB.loadLibrary();
    }

    private final BlockStore blocks;
    private final Path dir;
    private final Path tmp;

    private final Options options;
    private final EnvOptions envOptions;

    /**
     * Range files in {@link #dir}: id -> file size, bounded by bytes. An evicted entry's file is deleted
     * by the eviction listener, which Caffeine runs inside the entry's removal, so the mapping and the
     * file go together; a reader that found the file just before is safe (see {@link #load}).
     */
    private final Cache<String, Long> disk;
    /** Decoded ranges, bounded by their estimated heap bytes. */
    private final Cache<String, RangeData> memory;
    private final ConcurrentHashMap<String, CompletableFuture<RangeData>> loading = new ConcurrentHashMap<>();
    /**
     * (namespace, range id) pairs known to have been stored: rewriting such a range costs a stat of
     * its file instead of an upload (the stat keeps it correct when the namespace was emptied and
     * reused through another server).
     */
    private final Cache<String, Boolean> stored = Caches.builder().maximumSize(1_000_000).recordStats().build();

    private final AtomicLong rangesRead = new AtomicLong();
    private final AtomicLong rangesWritten = new AtomicLong();
    private final AtomicLong rangesDownloaded = new AtomicLong();

    public RangeStore(BlockStore blocks, Path cacheDir, long diskBudget, long memoryBudget) {
        this.blocks = blocks;
        this.dir = cacheDir.resolve("ranges");
        this.tmp = cacheDir.resolve("tmp");
        this.memory = Caches.builder()
                .maximumWeight(memoryBudget)
                .weigher((String id, RangeData d) -> weight(d.heapBytes()))
                .recordStats()
                .build();
        this.disk = Caches.builder()
                .maximumWeight(diskBudget)
                .weigher((String id, Long size) -> weight(size))
                .evictionListener((String id, Long size, RemovalCause cause) -> deleteQuietly(dir.resolve(id + ".sst")))
                .recordStats()
                .build();
        try {
            io.tarn.util.OwnerOnly.createDirectories(dir);
            io.tarn.util.OwnerOnly.createDirectories(tmp);
            // leftovers of a crashed process; recent files may belong to another engine on this cache
            long stale = System.currentTimeMillis() - 3_600_000L;
            try (Stream<Path> old = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (Files.getLastModifiedTime(p).toMillis() < stale) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            try (Stream<Path> cached = Files.list(dir)) {
                for (Path p : (Iterable<Path>) cached::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".sst")) {
                        disk.put(name.substring(0, name.length() - 4), Files.size(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the range cache directory", e);
        }
        options = new Options();
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
        envOptions = new EnvOptions();
    }

    /** The caches, by metric name: decoded ranges, range files on disk, ranges known to be stored. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("tarn.ranges.decoded", memory, "tarn.ranges.files", disk, "tarn.ranges.stored", stored);
    }

    /** A cache weight: bytes, capped at what an int holds (no range comes near it). */
    private static int weight(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, bytes));
    }

    /** How many times a range was opened for reading (from any cache level). */
    public long rangesRead() {
        return rangesRead.get();
    }

    /** How many ranges were written (new range files produced). */
    public long rangesWritten() {
        return rangesWritten.get();
    }

    /** How many range files were fetched from the block store. */
    public long rangesDownloaded() {
        return rangesDownloaded.get();
    }

    /** A batch of range (and tree) writes on this store's block store, made durable together. */
    public BlockBatch batch() {
        return blocks.batch();
    }

    /** {@link #write(StorageNamespace, BlockBatch, String, byte[][], byte[][], int, long)} durable on its own. */
    public RangeRef write(StorageNamespace ns, String id, byte[][] keys, byte[][] values, int count, long bytes) {
        BlockBatch batch = batch();
        RangeRef ref = write(ns, batch, id, keys, values, count, bytes);
        batch.sync();
        return ref;
    }

    /**
     * Writes one range whose id the caller computed over its records, and returns its index entry.
     * The range file is durable once {@code batch} is synced (a range found already stored is
     * relied on through the batch: it may have been published a moment ago by a batch not yet synced).
     */
    public RangeRef write(StorageNamespace ns, BlockBatch batch, String id, byte[][] keys, byte[][] values,
                          int count, long bytes) {
        rangesWritten.incrementAndGet();
        RangeData data = new RangeData(keys, values, count);
        String storedKey = ns.uri() + '\0' + id;
        // a hit is only a hint: another server may have emptied the namespace and reused it since,
        // so a known range is checked with a stat (much cheaper than its upload) before it is skipped;
        // a file older than the reuse window is written again (the collector may be deleting it)
        if (stored.getIfPresent(storedKey) != null && Uploads.storedRecently(blocks, ns, PREFIX + id)) {
            batch.rely(ns, PREFIX + id);
        } else {
            Path t = tmp.resolve(UUID.randomUUID() + ".sst");
            try {
                try (SstFileWriter w = new SstFileWriter(envOptions, options)) {
                    w.open(t.toString());
                    for (int i = 0; i < count; i++) {
                        w.put(keys[i], values[i]);
                    }
                    w.finish();
                }
                long size = Files.size(t);
                Uploads.putFile(batch, ns, PREFIX + id, t);
                Files.move(t, dir.resolve(id + ".sst"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                disk.put(id, size);
            } catch (RocksDBException | IOException e) {
                throw new IllegalStateException("cannot write range file: " + e.getMessage(), e);
            } finally {
                deleteQuietly(t);
            }
            stored.put(storedKey, Boolean.TRUE);
        }
        memory.put(id, data);
        return new RangeRef(id, keys[0], keys[count - 1], count, bytes);
    }

    /** Forgets which ranges are known to be stored in a namespace (it may have been emptied). */
    public void forgetNamespace(StorageNamespace ns) {
        String p = ns.uri() + '\0';
        stored.asMap().keySet().removeIf(k -> k.startsWith(p));
    }

    /** The records of a range. */
    public RangeData load(StorageNamespace ns, RangeRef ref) {
        rangesRead.incrementAndGet();
        String id = ref.id();
        RangeData d = memory.getIfPresent(id);
        if (d != null) {
            return d;
        }
        CompletableFuture<RangeData> mine = new CompletableFuture<>();
        CompletableFuture<RangeData> other = loading.putIfAbsent(id, mine);
        if (other != null) {
            try {
                return other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading range " + id, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        try {
            d = memory.getIfPresent(id);
            if (d == null) {
                int expected = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, ref.count()));
                d = readCachedFile(id, expected);
                if (d == null) {
                    d = download(ns, id, expected);
                }
                stored.put(ns.uri() + '\0' + id, Boolean.TRUE);
                memory.put(id, d);
            }
            mine.complete(d);
            return d;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(id, mine);
        }
    }

    /**
     * The range from its file in the disk cache, or {@code null} if it is not there. The file may be
     * deleted by an eviction at any moment: one that goes before it is opened is a miss (and leaves the
     * cache); once open, it is read to the end whatever happens to its name.
     */
    private RangeData readCachedFile(String id, int expected) {
        Path file = dir.resolve(id + ".sst");
        if (disk.getIfPresent(id) == null || !Files.exists(file)) {
            return null;
        }
        try {
            return readFile(file, expected);
        } catch (IllegalStateException evictedMeanwhile) {
            disk.invalidate(id);
            return null;
        }
    }

    /**
     * Fetches a range file, decodes it from its private temporary copy, and only then moves it into
     * the disk cache: an eviction (even of the entry just added) can never take a file being read.
     */
    private RangeData download(StorageNamespace ns, String id, int expected) {
        rangesDownloaded.incrementAndGet();
        Path t = tmp.resolve(UUID.randomUUID() + ".sst");
        try {
            try (InputStream in = blocks.get(ns, PREFIX + id, null)) {
                Files.copy(in, t);
            }
            RangeData d = readFile(t, expected);
            long size = Files.size(t);
            Files.move(t, dir.resolve(id + ".sst"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            disk.put(id, size);
            return d;
        } catch (BlockNotFoundException e) {
            throw new IllegalStateException("range " + id + " is missing from storage namespace " + ns.uri(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch range " + id, e);
        } finally {
            deleteQuietly(t);
        }
    }

    private RangeData readFile(Path file, int expected) {
        byte[][] keys = new byte[expected][];
        byte[][] values = new byte[expected][];
        int n = 0;
        try (SstFileReader reader = new SstFileReader(options);
             ReadOptions ro = new ReadOptions().setFillCache(false)) {
            reader.open(file.toString());
            try (SstFileReaderIterator it = reader.newIterator(ro)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    if (n == keys.length) {
                        keys = java.util.Arrays.copyOf(keys, n * 2);
                        values = java.util.Arrays.copyOf(values, n * 2);
                    }
                    keys[n] = it.key();
                    values[n] = it.value();
                    n++;
                }
                it.status();
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read range file " + file.getFileName() + ": " + e.getMessage(), e);
        }
        return new RangeData(keys, values, n);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover cache file is harmless; it is overwritten or cleaned at the next start
        }
    }

    @Override
    public void close() {
        options.close();
        envOptions.close();
    }
}
