package io.tarn.engine.tree;

import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Tree indexes, stored at {@code <namespace>/_tarn/trees/<id>} and cached in memory (bounded LRU). */
public final class TreeStore {

    public static final String PREFIX = "_tarn/trees/";

    private final BlockStore blocks;
    private final long budgetRanges;
    private final LinkedHashMap<String, TreeIndex> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedRanges;
    private final Set<String> stored = ConcurrentHashMap.newKeySet();

    public TreeStore(BlockStore blocks, long budgetRanges) {
        this.blocks = blocks;
        this.budgetRanges = budgetRanges;
    }

    /** Stores a tree index (if not already stored) and returns its id. */
    public String write(StorageNamespace ns, TreeIndex tree) {
        if (tree.ranges().isEmpty()) {
            return TreeIndex.EMPTY_ID;
        }
        byte[] data = tree.encode();
        String id = io.tarn.engine.codec.CommitCodec.sha256Hex(data);
        String key = ns.uri() + '\0' + id;
        if (!stored.contains(key)) {
            blocks.put(ns, PREFIX + id, new ByteArrayInputStream(data), data.length);
            if (stored.size() > 1_000_000) {
                stored.clear();
            }
            stored.add(key);
        }
        remember(id, tree);
        return id;
    }

    /** Forgets which trees are known to be stored in a namespace (it may have been emptied). */
    public void forgetNamespace(StorageNamespace ns) {
        String p = ns.uri() + '\0';
        stored.removeIf(k -> k.startsWith(p));
    }

    public TreeIndex load(StorageNamespace ns, String id) {
        if (TreeIndex.EMPTY_ID.equals(id)) {
            return TreeIndex.EMPTY;
        }
        synchronized (this) {
            TreeIndex t = cache.get(id);
            if (t != null) {
                return t;
            }
        }
        TreeIndex t;
        try (InputStream in = blocks.get(ns, PREFIX + id, null)) {
            t = TreeIndex.decode(in.readAllBytes());
        } catch (BlockNotFoundException e) {
            throw new IllegalStateException("tree " + id + " is missing from storage namespace " + ns.uri(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tree " + id, e);
        }
        remember(id, t);
        return t;
    }

    private synchronized void remember(String id, TreeIndex t) {
        TreeIndex old = cache.put(id, t);
        if (old != null) {
            cachedRanges -= old.ranges().size() + 1;
        }
        cachedRanges += t.ranges().size() + 1;
        var it = cache.entrySet().iterator();
        while (cachedRanges > budgetRanges && cache.size() > 1 && it.hasNext()) {
            Map.Entry<String, TreeIndex> e = it.next();
            if (e.getKey().equals(id)) {
                continue;
            }
            cachedRanges -= e.getValue().ranges().size() + 1;
            it.remove();
        }
    }
}
