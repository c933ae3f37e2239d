package io.tarn.engine;

import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.GcRules;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.RangeData;
import io.tarn.engine.tree.RangeRef;
import io.tarn.engine.tree.RangeStore;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.engine.tree.TreeStore;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the garbage collector ({@code io.tarn.gc}) reads and does through the engine: branch records
 * with their staging tokens, tags, commits, tree indexes, the addresses inside ranges and staging, and
 * multipart uploads in progress. Read-only except {@link #claimAbandonedUpload}. It knows the engine's
 * key layout and file names so the collector does not have to.
 */
public final class GcAccess {

    /** Engine-made keys in a namespace: object data, range files and tree indexes (ASCII hex). */
    public static final java.util.regex.Pattern DATA_KEY = java.util.regex.Pattern.compile("data/[0-9a-f]{17}/[0-9a-f]{32}");
    public static final java.util.regex.Pattern RANGE_KEY = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(RangeStore.PREFIX) + "[0-9a-f]{64}");
    public static final java.util.regex.Pattern TREE_KEY = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(TreeStore.PREFIX) + "[0-9a-f]{64}");
    /** How long after its address is handed out an upload may still be staged (see ObjectEntries). */
    public static final java.time.Duration UPLOAD_DEADLINE = ObjectEntries.UPLOAD_DEADLINE;
    /** How old a range or tree file may be and still be reused without writing it again. */
    public static final java.time.Duration REUSE_WINDOW = TreeStore.REUSE_WINDOW;
    /** The smallest grace period that keeps the collector safe beside running servers. */
    public static final java.time.Duration MIN_SAFE_GRACE = UPLOAD_DEADLINE.plus(REUSE_WINDOW);

    /** The prefixes the collector sweeps, in key order. */
    public static final List<String> SWEPT_PREFIXES = List.of(RangeStore.PREFIX, TreeStore.PREFIX, "data/");

    private final EngineContext ctx;
    private final RepositorySettings settings;
    private final MultipartUploads multipart;

    GcAccess(EngineContext ctx, RepositorySettings settings, MultipartUploads multipart) {
        this.ctx = ctx;
        this.settings = settings;
        this.multipart = multipart;
    }

    /** A branch as stored: its head, its tokens (current first, then sealed) and the record's bytes. */
    public record BranchState(String name, String headCommitId, List<String> tokens, byte[] raw) {
        public boolean sameRecord(BranchState other) {
            return other != null && Arrays.equals(raw, other.raw);
        }
    }

    public BlockStore blocks() {
        return ctx.blocks;
    }

    /** The repository, or a not-found error. */
    public Repository repository(String id) {
        return ctx.repo(id);
    }

    public StorageNamespace namespace(Repository r) {
        return ctx.ns(r);
    }

    /** The rules to apply: GC rules, else the ones the 2020 retention policy implies; empty = keep every commit. */
    public Optional<GcRules> rules(String repository) {
        return settings.effectiveRules(repository);
    }

    public List<BranchState> branches(String repository) {
        List<BranchState> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<MetaStore.StoredBranchNamed> page = ctx.meta.branches(repository, after, 1000);
            for (MetaStore.StoredBranchNamed b : page) {
                out.add(state(b.name(), b.record(), b.record().encode()));
            }
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).name();
        }
    }

    /** A branch read again (empty once deleted). */
    public Optional<BranchState> branch(String repository, String name) {
        return ctx.meta.branch(repository, name).map(b -> state(name, b.record(), b.raw()));
    }

    private static BranchState state(String name, BranchRecord r, byte[] raw) {
        return new BranchState(name, r.commitId(), r.readTokens(), raw);
    }

    /** The commit ids that tags point at. */
    public List<String> taggedCommits(String repository) {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<String[]> page = ctx.meta.tags(repository, after, 1000);
            for (String[] t : page) {
                out.add(t[1]);
            }
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1)[0];
        }
    }

    public Optional<Commit> commit(String repository, String id) {
        return ctx.meta.commit(repository, id);
    }

    /** Every commit stored for the repository, reachable or not (one KV scan, in id order). */
    public void forEachCommit(String repository, Consumer<Commit> sink) {
        byte[] prefix = KeyLayout.commits(repository);
        try (KvIterator it = ctx.kv.scan(prefix, prefix)) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                sink.accept(CommitCodec.decode(KeyLayout.after(prefix, e.key()), e.value()));
            }
        }
    }

    /** The key of a tree index in the namespace, or empty for the empty tree (never stored). */
    public static Optional<String> treeKey(String treeId) {
        return TreeIndex.EMPTY_ID.equals(treeId) ? Optional.empty() : Optional.of(TreeStore.PREFIX + treeId);
    }

    public static String rangeKey(String rangeId) {
        return RangeStore.PREFIX + rangeId;
    }

    /** The ranges of a tree. */
    public List<RangeRef> ranges(StorageNamespace ns, String treeId) {
        return ctx.trees.tree(ns, treeId).ranges();
    }

    /** The physical address of every entry of a range. */
    public void forEachAddress(StorageNamespace ns, RangeRef range, Consumer<String> sink) {
        RangeData d = ctx.trees.ranges().load(ns, range);
        for (int i = 0; i < d.size(); i++) {
            sink.accept(EntryCodec.decode(Bytes.string(d.key(i)), d.value(i)).physicalAddress());
        }
    }

    /** The physical address of every entry staged in a token (tombstones have none). */
    public void forEachStagedAddress(String token, Consumer<String> sink) {
        byte[] prefix = KeyLayout.staged(token);
        try (KvIterator it = ctx.kv.scan(prefix, prefix)) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                if (!Staging.isTombstone(e.value())) {
                    String path = KeyLayout.after(prefix, e.key());
                    sink.accept(EntryCodec.decode(path, e.value()).physicalAddress());
                }
            }
        }
    }

    /** Every multipart upload in progress, with its record's bytes. */
    public void forEachMultipartUpload(String repository, BiConsumer<MultipartUpload, byte[]> sink) {
        multipart.forEachRecord(repository, sink);
    }

    /**
     * Aborts an abandoned upload if its record is still {@code raw}: the record goes first (so a
     * completion racing with it fails or has already staged), then the block store's parts.
     */
    public boolean claimAbandonedUpload(String repository, MultipartUpload upload, byte[] raw) {
        return multipart.claim(repository, upload, raw);
    }
}
