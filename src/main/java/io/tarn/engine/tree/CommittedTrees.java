package io.tarn.engine.tree;

import com.github.benmanes.caffeine.cache.Cache;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The committed-tree layer: writing trees from change streams, point reads, cursors and diffs. */
public final class CommittedTrees implements AutoCloseable {

    private final RangeStore ranges;
    private final TreeStore trees;
    private final TreeWriter writer;
    private final java.util.concurrent.ExecutorService workers;

    public CommittedTrees(BlockStore blocks, Path cacheDir, long diskCacheBytes, long memoryCacheBytes,
                          Boundary boundary) {
        this.ranges = new RangeStore(blocks, cacheDir, diskCacheBytes, memoryCacheBytes);
        this.trees = new TreeStore(blocks, 1_000_000);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.workers = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tarn-range-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.writer = new TreeWriter(ranges, trees, boundary, workers);
    }

    public RangeStore ranges() {
        return ranges;
    }

    /** The caches of committed trees and ranges, by metric name. */
    public Map<String, Cache<?, ?>> caches() {
        Map<String, Cache<?, ?>> out = new TreeMap<>(ranges.caches());
        out.putAll(trees.caches());
        return out;
    }

    /** Forgets what is known to be stored in a namespace: it may be emptied and reused by a new repository. */
    public void forgetNamespace(StorageNamespace ns) {
        ranges.forgetNamespace(ns);
        trees.forgetNamespace(ns);
    }

    public TreeIndex tree(StorageNamespace ns, String treeId) {
        return trees.load(ns, treeId);
    }

    public TreeWriter.Result apply(StorageNamespace ns, String baseTreeId, Iterator<Record> changes) {
        return writer.apply(ns, tree(ns, baseTreeId), changes);
    }

    public TreeWriter.Result apply(StorageNamespace ns, TreeIndex base, Iterator<Record> changes) {
        return writer.apply(ns, base, changes);
    }

    /** The encoded entry under {@code key}, or {@code null}. */
    public byte[] get(StorageNamespace ns, TreeIndex tree, byte[] key) {
        int i = tree.findRange(key);
        if (i >= tree.ranges().size()) {
            return null;
        }
        RangeRef r = tree.ranges().get(i);
        if (Bytes.compare(key, r.minKey()) < 0) {
            return null;
        }
        return ranges.load(ns, r).get(key);
    }

    public TreeCursor cursor(StorageNamespace ns, TreeIndex tree) {
        return new TreeCursor(ranges, ns, tree);
    }

    /** Differences from {@code before} to {@code after}, for keys greater than {@code afterKey}. */
    public TreeDiff diff(StorageNamespace ns, TreeIndex before, TreeIndex after, byte[] afterKey) {
        return new TreeDiff(ranges, ns, before, after, afterKey);
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ranges.close();
    }
}
