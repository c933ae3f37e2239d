package io.tarn.engine;

import com.github.benmanes.caffeine.cache.Cache;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.CommitGraph;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.refs.RefResolver;
import io.tarn.engine.refs.ResolvedRef;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.CommittedTrees;
import io.tarn.engine.tree.DiffRecord;
import io.tarn.engine.tree.Record;
import io.tarn.kv.KvStore;
import io.tarn.util.Caches;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the engine's parts share: the stores and the layers over them, and the lookups every operation
 * starts with (repository, namespace, branch, commit, the entry a ref sees at a path), plus the final
 * compare-and-set that moves a branch to a new commit.
 */
final class EngineContext {

    final KvStore kv;
    final BlockStore blocks;
    final EngineConfig config;
    final MetaStore meta;
    final RefResolver refs;
    final CommitGraph graph;
    final Staging staging;
    final CommittedTrees trees;
    final CasRetry retry;
    /**
     * Repository id -> its opened storage namespace. Every use checks the entry against the
     * repository record just read, so a namespace changed elsewhere is opened again.
     */
    final Cache<String, StorageNamespace> namespaces = Caches.builder()
            .maximumSize(10_000).recordStats().build();

    /**
     * repository/branch -> the staging token last seen current there. A hint, never trusted: a write
     * into it is kept only if the branch record read after the write still names it, and a read uses
     * it only when the branch record read in the same round trip names it.
     */
    final Cache<String, String> tokenHints = Caches.builder().maximumSize(100_000).recordStats().build();
    /**
     * Repository id -> its record as last read here, so that an upload can write its data before it
     * reads anything; the write is kept only if the repository read after it is the same incarnation.
     */
    final Cache<String, Repository> repositoryHints = Caches.builder().maximumSize(10_000).recordStats().build();

    EngineContext(KvStore kv, BlockStore blocks, EngineConfig config) {
        this.kv = kv;
        this.blocks = blocks;
        this.config = config;
        this.retry = new CasRetry(config.maxRetries());
        this.meta = new MetaStore(kv);
        this.refs = new RefResolver(meta);
        this.graph = new CommitGraph(meta);
        this.staging = new Staging(kv);
        this.trees = new CommittedTrees(blocks, config.cacheDir(), config.diskCacheBytes(),
                config.memoryCacheBytes(), config.boundary());
    }

    // ---- repositories and namespaces -------------------------------------------------------

    Repository repo(String id) {
        if (id == null || !Names.isRepositoryId(id)) {
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, String.valueOf(id));
        }
        return meta.repository(id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.REPOSITORY, id));
    }

    StorageNamespace ns(Repository r) {
        StorageNamespace ns = namespaces.getIfPresent(r.id());
        if (ns == null || !ns.uri().equals(r.storageNamespace())) {
            ns = blocks.namespace(r.storageNamespace());
            namespaces.put(r.id(), ns);
        }
        return ns;
    }

    void rememberNamespace(String repository, StorageNamespace ns) {
        namespaces.put(repository, ns);
    }

    void forgetNamespace(String repository) {
        namespaces.invalidate(repository);
        repositoryHints.invalidate(repository);
    }

    static String hintKey(String repository, String branch) {
        return repository + '/' + branch;
    }

    /** Whether two reads of a repository record are the same repository (not deleted and created again). */
    static boolean sameRepository(Repository a, Repository b) {
        return a.incarnation().equals(b.incarnation()) && a.storageNamespace().equals(b.storageNamespace())
                && a.creationDate() == b.creationDate();
    }

    /**
     * A branch and its repository read together (one round trip), after the values of {@code before};
     * a missing repository or branch is not found (the repository named first).
     */
    MetaStore.BranchRead readBranch(String repository, String name, List<byte[]> before) {
        if (repository == null || !Names.isRepositoryId(repository)) {
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, String.valueOf(repository));
        }
        if (!Names.isBranchName(name)) {
            repo(repository);
            throw new NotFoundException(NotFoundException.Kind.BRANCH, String.valueOf(name));
        }
        MetaStore.BranchRead read = meta.readBranch(repository, name, before);
        if (read.repository().isEmpty()) {
            repositoryHints.invalidate(repository);
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, repository);
        }
        repositoryHints.put(repository, read.repository().get());
        if (read.branch().isEmpty()) {
            tokenHints.invalidate(hintKey(repository, name));
            throw new NotFoundException(NotFoundException.Kind.BRANCH, name);
        }
        return read;
    }

    // ---- branches and commits --------------------------------------------------------------

    MetaStore.StoredBranch branch(String repository, String name) {
        if (!Names.isBranchName(name)) {
            throw new NotFoundException(NotFoundException.Kind.BRANCH, String.valueOf(name));
        }
        return meta.branch(repository, name).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.BRANCH, name));
    }

    /** A branch for a write path that skipped reading the repository: a miss names what is missing. */
    MetaStore.StoredBranch branchForWrite(String repository, String name) {
        if (!Names.isBranchName(name)) {
            repo(repository);
            throw new NotFoundException(NotFoundException.Kind.BRANCH, String.valueOf(name));
        }
        Optional<MetaStore.StoredBranch> b = meta.branch(repository, name);
        if (b.isEmpty()) {
            repo(repository);
            throw new NotFoundException(NotFoundException.Kind.BRANCH, name);
        }
        return b.get();
    }

    Commit commit(String repository, String id) {
        return meta.commit(repository, id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.COMMIT, id));
    }

    /** How many times a read of a branch follows a branch that keeps moving before it settles for what it read. */
    static final int SETTLE_ATTEMPTS = 8;

    /**
     * Runs {@code read} on a branch's state (its staged entries and its head commit's tree) and keeps the
     * answer only if the branch record is unchanged afterwards; else runs it again on the new record. A
     * commit that finishes while the read runs seals, commits and then drops the staging token the read
     * started from: without the second look at the record, the entries it committed would be missing from
     * both the old head's tree and the dropped token. Every change of a branch record writes a fresh token
     * or head, so an equal record means no change.
     */
    <T> T settled(String repository, String branch, MetaStore.StoredBranch first,
                  Function<MetaStore.StoredBranch, T> read) {
        MetaStore.StoredBranch seen = first;
        for (int attempt = 1; ; attempt++) {
            T result = read.apply(seen);
            MetaStore.StoredBranch now = branch(repository, branch);
            if (now.record().equals(seen.record()) || attempt >= SETTLE_ATTEMPTS) {
                return result;
            }
            seen = now;
        }
    }

    /** The encoded entry at {@code key} as seen from a resolved ref, or {@code null}. */
    byte[] lookup(StorageNamespace ns, ResolvedRef rr, byte[] key) {
        if (rr.hasStaging()) {
            Record staged = staging.get(rr.branch().readTokens(), key);
            if (staged != null) {
                return staged.value();
            }
        }
        return trees.get(ns, trees.tree(ns, rr.commit().treeId()), key);
    }

    /**
     * The final compare-and-set of a commit, merge or revert: if the branch still points at
     * {@code expectedHead} and its sealed tokens still end with {@code sealed}, move it to
     * {@code newHead} (or keep the head when {@code null}), drop those sealed tokens and keep the current
     * staging token. Returns false if the branch moved on (the caller starts over).
     */
    boolean finish(String repository, String branch, String expectedHead, List<String> sealed, String newHead) {
        return retry.run("branch " + branch, "moving its head", () -> {
            Optional<MetaStore.StoredBranch> ob = meta.branch(repository, branch);
            if (ob.isEmpty()) {
                throw new NotFoundException(NotFoundException.Kind.BRANCH, branch);
            }
            BranchRecord cur = ob.get().record();
            List<String> curSealed = cur.sealedTokens();
            if (!cur.commitId().equals(expectedHead) || curSealed.size() < sealed.size()
                    || !curSealed.subList(curSealed.size() - sealed.size(), curSealed.size()).equals(sealed)) {
                return Optional.of(false);
            }
            BranchRecord next = new BranchRecord(newHead == null ? expectedHead : newHead, cur.stagingToken(),
                    curSealed.subList(0, curSealed.size() - sealed.size()));
            if (!meta.casBranch(repository, branch, ob.get().raw(), next)) {
                return Optional.empty();
            }
            for (String t : sealed) {
                staging.drop(t);
            }
            return Optional.of(true);
        });
    }

    /** Drops every staging token (current and sealed) of a branch record. */
    void dropStaging(BranchRecord record) {
        for (String t : record.readTokens()) {
            staging.drop(t);
        }
    }

    // ---- small shared helpers --------------------------------------------------------------

    /** A page of at most {@code amount} of {@code items} (which holds up to one more, to tell whether more follow). */
    static <T> Page<T> page(List<T> items, int amount, Function<T, String> key) {
        if (items.size() > amount) {
            List<T> head = items.subList(0, amount);
            return new Page<>(head, true, key.apply(head.get(amount - 1)));
        }
        return new Page<>(items, false, null);
    }

    static Change change(DiffRecord d) {
        String path = Bytes.string(d.key());
        if (d.before() == null) {
            return new Change(ChangeType.ADDED, path, EntryCodec.decode(path, d.after()));
        }
        if (d.after() == null) {
            return new Change(ChangeType.REMOVED, path, EntryCodec.decode(path, d.before()));
        }
        return new Change(ChangeType.CHANGED, path, EntryCodec.decode(path, d.after()));
    }
}
