package io.tarn.engine.tree;

import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 * decode a whole range into a {@link RangeData} kept in a bounded in-memory LRU; a miss there reads the
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
    private final long diskBudget;
    private final long memoryBudget;

    private final Options options;
    private final EnvOptions envOptions;

    private final LinkedHashMap<String, Long> disk = new LinkedHashMap<>(256, 0.75f, true);
    private long diskBytes;
    private final LinkedHashMap<String, RangeData> memory = new LinkedHashMap<>(256, 0.75f, true);
    private long memoryBytes;
    private final ConcurrentHashMap<String, CompletableFuture<RangeData>> loading = new ConcurrentHashMap<>();
    /** (namespace, range id) pairs known to be stored, so rewriting an existing range skips its upload. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();

    private final AtomicLong rangesRead = new AtomicLong();
    private final AtomicLong rangesWritten = new AtomicLong();
    private final AtomicLong rangesDownloaded = new AtomicLong();

    public RangeStore(BlockStore blocks, Path cacheDir, long diskBudget, long memoryBudget) {
        this.blocks = blocks;
        this.dir = cacheDir.resolve("ranges");
        this.tmp = cacheDir.resolve("tmp");
        this.diskBudget = diskBudget;
        this.memoryBudget = memoryBudget;
        try {
            Files.createDirectories(dir);
            Files.createDirectories(tmp);
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
                        long size = Files.size(p);
                        disk.put(name.substring(0, name.length() - 4), size);
                        diskBytes += size;
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

    /** Writes one range whose id the caller computed over its records, and returns its index entry. */
    public RangeRef write(StorageNamespace ns, String id, byte[][] keys, byte[][] values, int count, long bytes) {
        rangesWritten.incrementAndGet();
        RangeData data = new RangeData(keys, values, count);
        String storedKey = ns.uri() + '\0' + id;
        if (!stored.contains(storedKey)) {
            Path t = tmp.resolve(UUID.randomUUID() + ".sst");
            try {
                try (SstFileWriter w = new SstFileWriter(envOptions, options)) {
                    w.open(t.toString());
                    for (int i = 0; i < count; i++) {
                        w.put(keys[i], values[i]);
                    }
                    w.finish();
                }
                upload(ns, id, t);
                Files.move(t, dir.resolve(id + ".sst"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                addToDisk(id, Files.size(dir.resolve(id + ".sst")));
            } catch (RocksDBException | IOException e) {
                throw new IllegalStateException("cannot write range file: " + e.getMessage(), e);
            } finally {
                deleteQuietly(t);
            }
            rememberStored(storedKey);
        }
        addToMemory(id, data);
        return new RangeRef(id, keys[0], keys[count - 1], count, bytes);
    }

    /** Forgets which ranges are known to be stored in a namespace (it may have been emptied). */
    public void forgetNamespace(StorageNamespace ns) {
        String p = ns.uri() + '\0';
        stored.removeIf(k -> k.startsWith(p));
    }

    private void upload(StorageNamespace ns, String id, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            blocks.put(ns, PREFIX + id, in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload range " + id, e);
        }
    }

    private void rememberStored(String key) {
        if (stored.size() > 1_000_000) {
            stored.clear();
        }
        stored.add(key);
    }

    /** The records of a range. */
    public RangeData load(StorageNamespace ns, RangeRef ref) {
        rangesRead.incrementAndGet();
        String id = ref.id();
        RangeData d;
        synchronized (this) {
            d = memory.get(id);
        }
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
            synchronized (this) {
                d = memory.get(id);
            }
            if (d == null) {
                int expected = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, ref.count()));
                try {
                    d = readFile(localFile(ns, id), expected);
                } catch (IllegalStateException evictedMeanwhile) {
                    synchronized (this) {
                        Long size = disk.remove(id);
                        if (size != null) {
                            diskBytes -= size;
                        }
                    }
                    d = readFile(localFile(ns, id), expected);
                }
                rememberStored(ns.uri() + '\0' + id);
                addToMemory(id, d);
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

    private Path localFile(StorageNamespace ns, String id) {
        Path file = dir.resolve(id + ".sst");
        synchronized (this) {
            if (disk.get(id) != null && Files.exists(file)) {
                return file;
            }
        }
        rangesDownloaded.incrementAndGet();
        Path t = tmp.resolve(UUID.randomUUID() + ".sst");
        try (InputStream in = blocks.get(ns, PREFIX + id, null)) {
            Files.copy(in, t);
            Files.move(t, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            addToDisk(id, Files.size(file));
            return file;
        } catch (BlockNotFoundException e) {
            deleteQuietly(t);
            throw new IllegalStateException("range " + id + " is missing from storage namespace " + ns.uri(), e);
        } catch (IOException e) {
            deleteQuietly(t);
            throw new UncheckedIOException("cannot fetch range " + id, e);
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

    private synchronized void addToMemory(String id, RangeData d) {
        RangeData old = memory.put(id, d);
        if (old != null) {
            memoryBytes -= old.heapBytes();
        }
        memoryBytes += d.heapBytes();
        Iterator<Map.Entry<String, RangeData>> it = memory.entrySet().iterator();
        while (memoryBytes > memoryBudget && memory.size() > 1 && it.hasNext()) {
            Map.Entry<String, RangeData> e = it.next();
            if (e.getKey().equals(id)) {
                continue;
            }
            memoryBytes -= e.getValue().heapBytes();
            it.remove();
        }
    }

    private void addToDisk(String id, long size) {
        java.util.List<String> evicted = new java.util.ArrayList<>();
        synchronized (this) {
            Long old = disk.put(id, size);
            if (old != null) {
                diskBytes -= old;
            }
            diskBytes += size;
            Iterator<Map.Entry<String, Long>> it = disk.entrySet().iterator();
            while (diskBytes > diskBudget && disk.size() > 1 && it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (e.getKey().equals(id)) {
                    continue;
                }
                diskBytes -= e.getValue();
                evicted.add(e.getKey());
                it.remove();
            }
        }
        for (String e : evicted) {
            deleteQuietly(dir.resolve(e + ".sst"));
        }
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
