package io.tarn.engine.tree;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.util.Caches;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Tree indexes, stored at {@code <namespace>/_tarn/trees/<id>} and cached in memory (Caffeine, bounded by ranges). */
public final class TreeStore {

    public static final String PREFIX = "_tarn/trees/";

    /**
     * A range or tree file already in the namespace is reused without writing it again only if it was
     * written within this window: an older one may be garbage the collector is about to delete (it
     * deletes only files older than its grace period, which must be longer), so it is written again,
     * which makes it new. docs/gc.md explains why.
     */
    public static final java.time.Duration REUSE_WINDOW = java.time.Duration.ofMinutes(15);

    private final BlockStore blocks;
    /** Decoded tree indexes, bounded by their number of ranges (each counts one more, for the index itself). */
    private final Cache<String, TreeIndex> cache;
    /** (namespace, tree id) pairs known to have been stored: writing such a tree again costs a stat, not an upload. */
    private final Cache<String, Boolean> stored = Caches.builder().maximumSize(1_000_000).recordStats().build();

    public TreeStore(BlockStore blocks, long budgetRanges) {
        this.blocks = blocks;
        this.cache = Caches.builder()
                .maximumWeight(budgetRanges)
                .weigher((String id, TreeIndex t) -> t.ranges().size() + 1)
                .recordStats()
                .build();
    }

    /** The caches, by metric name. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("tarn.trees", cache, "tarn.trees.stored", stored);
    }

    /** Stores a tree index (if not already stored), durable when this returns, and returns its id. */
    public String write(StorageNamespace ns, TreeIndex tree) {
        io.tarn.block.BlockBatch batch = blocks.batch();
        String id = write(ns, batch, tree);
        batch.sync();
        return id;
    }

    /**
     * Stores a tree index (if not already stored) and returns its id; the file is durable once
     * {@code batch} is synced (a tree found already stored is relied on through the batch).
     */
    public String write(StorageNamespace ns, io.tarn.block.BlockBatch batch, TreeIndex tree) {
        if (tree.ranges().isEmpty()) {
            return TreeIndex.EMPTY_ID;
        }
        byte[] data = tree.encode();
        String id = io.tarn.engine.codec.CommitCodec.sha256Hex(data);
        String key = ns.uri() + '\0' + id;
        // a hit is a hint, checked with a stat (the namespace may have been emptied and reused elsewhere)
        // a file older than the reuse window is written again (the collector may be deleting it)
        if (stored.getIfPresent(key) != null && Uploads.storedRecently(blocks, ns, PREFIX + id)) {
            batch.rely(ns, PREFIX + id);
        } else {
            Uploads.put(batch, ns, PREFIX + id, () -> new ByteArrayInputStream(data), data.length);
            stored.put(key, Boolean.TRUE);
        }
        cache.put(id, tree);
        return id;
    }

    /** Forgets which trees are known to be stored in a namespace (it may have been emptied). */
    public void forgetNamespace(StorageNamespace ns) {
        String p = ns.uri() + '\0';
        stored.asMap().keySet().removeIf(k -> k.startsWith(p));
    }

    public TreeIndex load(StorageNamespace ns, String id) {
        if (TreeIndex.EMPTY_ID.equals(id)) {
            return TreeIndex.EMPTY;
        }
        TreeIndex t = cache.getIfPresent(id);
        if (t != null) {
            return t;
        }
        try (InputStream in = blocks.get(ns, PREFIX + id, null)) {
            t = TreeIndex.decode(in.readAllBytes());
        } catch (BlockNotFoundException e) {
            throw new IllegalStateException("tree " + id + " is missing from storage namespace " + ns.uri(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tree " + id, e);
        }
        cache.put(id, t);
        return t;
    }
}
