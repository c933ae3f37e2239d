package io.tarn.engine.refs;

import com.github.benmanes.caffeine.cache.Cache;
import io.tarn.engine.codec.BinaryReader;
import io.tarn.engine.codec.BinaryWriter;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.RepositoryCodec;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.Repository;
import io.tarn.kv.CasOutcomes;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.util.Caches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Repositories, branches, tags and commits in the KV store, under the keys of {@link KeyLayout}.
 *
 * <p>Every compare-and-set goes through {@link CasOutcomes}: the values written here are unique (a
 * branch record carries a fresh staging token, a commit is content-addressed, a repository record
 * has its creation time), so when the store cannot tell whether a swap happened, reading the key
 * again tells.
 */
public final class MetaStore {

    private final KvStore kv;
    /**
     * Commits are immutable: a bounded cache of decoded commits, keyed by the repository's
     * incarnation and the commit id. A repository deleted and created again (here or on another
     * server sharing the store) has a new incarnation, so its predecessor's entries are never hit.
     */
    private final Cache<String, Commit> commits = Caches.builder()
            .maximumSize(200_000).recordStats().build();
    /**
     * Repository id -> the incarnation of its record as last read or written here. Every operation
     * reads the repository record before it resolves commits, which refreshes this; a repository
     * not in it is read without the commit cache.
     */
    private final Cache<String, String> incarnations = Caches.builder()
            .maximumSize(10_000).build();

    public MetaStore(KvStore kv) {
        this.kv = kv;
    }

    public KvStore kv() {
        return kv;
    }

    // ---- repositories ----

    public Optional<Repository> repository(String id) {
        Optional<Repository> r = kv.get(KeyLayout.repository(id)).map(b -> RepositoryCodec.decode(id, b));
        remember(id, r.orElse(null));
        return r;
    }

    private void remember(String id, Repository r) {
        if (r == null || r.incarnation().isEmpty()) {
            incarnations.invalidate(id);
        } else if (!r.incarnation().equals(incarnations.getIfPresent(id))) {
            incarnations.put(id, r.incarnation()); // a look-up is cheaper than a put of the same value
        }
    }

    /** The commit cache's key of a commit, or null when the repository's incarnation is not known here. */
    private String commitKey(String repo, String id) {
        String incarnation = incarnations.getIfPresent(repo);
        return incarnation == null ? null : incarnation + '/' + id;
    }

    /** Deletes the repository record (first, so the repository is gone before its refs are). */
    public void deleteRepository(String id) {
        kv.delete(KeyLayout.repository(id));
    }

    /** Deletes every branch, tag and commit of a repository (after {@link #deleteRepository}). */
    public void deleteRefsAndCommits(String id) {
        kv.deletePrefix(KeyLayout.branches(id));
        kv.deletePrefix(KeyLayout.tags(id));
        kv.deletePrefix(KeyLayout.commits(id));
        kv.delete(KeyLayout.repositoryMetadata(id));
        kv.deletePrefix(KeyLayout.imports(id));
        kv.deletePrefix(KeyLayout.linkAddresses(id));
        kv.deletePrefix(KeyLayout.settings(id));
        forgetRepository(id);
    }

    public boolean createRepository(Repository r) {
        boolean created = CasOutcomes.compareAndSet(kv, KeyLayout.repository(r.id()), null, RepositoryCodec.encode(r));
        if (created) {
            remember(r.id(), r);
        }
        return created;
    }

    /** Repositories in id order, after {@code after} (exclusive), at most {@code limit}. */
    public List<Repository> repositories(String after, int limit) {
        List<Repository> out = new ArrayList<>();
        scanNames(KeyLayout.repositories(), after, limit, (name, v) -> out.add(RepositoryCodec.decode(name, v)));
        return out;
    }

    // ---- branches ----

    /** A branch's stored record and the exact bytes read (the expected value for a compare-and-set). */
    public record StoredBranch(BranchRecord record, byte[] raw) {}

    /**
     * A branch record and its repository's record read together, after the values of {@code before}
     * (in one round trip where the store has round trips; see {@link KvStore#getAll}): every value of
     * {@code before} is at least as old as the branch record, so a staged entry read this way belongs
     * to the staging token that the branch record names, or to an older one.
     */
    public BranchRead readBranch(String repo, String name, List<byte[]> before) {
        List<byte[]> keys = new ArrayList<>(before.size() + 2);
        keys.addAll(before);
        keys.add(KeyLayout.branch(repo, name));
        keys.add(KeyLayout.repository(repo));
        List<Optional<byte[]>> values = kv.getAll(keys);
        Optional<Repository> r = values.get(keys.size() - 1).map(b -> RepositoryCodec.decode(repo, b));
        remember(repo, r.orElse(null));
        Optional<StoredBranch> b = values.get(keys.size() - 2).map(v -> new StoredBranch(BranchRecord.decode(v), v));
        return new BranchRead(r, b, values.subList(0, before.size()));
    }

    /** What {@link #readBranch} read: the repository, the branch, and the values asked for before them. */
    public record BranchRead(Optional<Repository> repository, Optional<StoredBranch> branch,
                             List<Optional<byte[]>> before) {}

    /**
     * What creating branch {@code name} from a ref whose name part is {@code sourceBase} needs to
     * know, read in one round trip where the store has round trips ({@link KvStore#getAll}): the
     * repository, whether a tag or a branch already has the new name, and the branch and the tag
     * named {@code sourceBase} (each asked for only when the name could be one; null: no ref name).
     */
    public NewBranchRead readForNewBranch(String repo, String name, String sourceBase) {
        boolean branchBase = sourceBase != null && Names.isBranchName(sourceBase);
        boolean tagBase = sourceBase != null && Names.isTagName(sourceBase);
        boolean tagName = Names.isTagName(name);
        List<byte[]> keys = new ArrayList<>(5);
        keys.add(KeyLayout.repository(repo));
        keys.add(KeyLayout.branch(repo, name));
        if (tagName) {
            keys.add(KeyLayout.tag(repo, name));
        }
        if (branchBase) {
            keys.add(KeyLayout.branch(repo, sourceBase));
        }
        if (tagBase) {
            keys.add(KeyLayout.tag(repo, sourceBase));
        }
        List<Optional<byte[]>> values = kv.getAll(keys);
        Optional<Repository> r = values.get(0).map(b -> RepositoryCodec.decode(repo, b));
        remember(repo, r.orElse(null));
        int i = 2;
        boolean tagExists = tagName && values.get(i++).isPresent();
        Optional<StoredBranch> source = branchBase
                ? values.get(i++).map(v -> new StoredBranch(BranchRecord.decode(v), v)) : Optional.empty();
        Optional<String> sourceTag = tagBase ? values.get(i).map(Bytes::string) : Optional.empty();
        return new NewBranchRead(r, values.get(1).isPresent(), tagExists, source, sourceTag);
    }

    /**
     * What {@link #readForNewBranch} read: the repository, whether a branch and a tag of the new name
     * exist, and the source's branch and tag (empty when absent or not asked for).
     */
    public record NewBranchRead(Optional<Repository> repository, boolean branchExists, boolean tagExists,
                                Optional<StoredBranch> sourceBranch, Optional<String> sourceTag) {}

    public Optional<StoredBranch> branch(String repo, String name) {
        return kv.get(KeyLayout.branch(repo, name)).map(b -> new StoredBranch(BranchRecord.decode(b), b));
    }

    public boolean casBranch(String repo, String name, byte[] expected, BranchRecord update) {
        return CasOutcomes.compareAndSet(kv, KeyLayout.branch(repo, name), expected, update == null ? null : update.encode());
    }

    /**
     * The compare-and-set that seals a branch's staging token at the start of a commit, without a sync
     * of its own ({@link KvStore#deferringSync()}): it loses nothing if a power cut takes it (the
     * sealed token still holds every staged entry, and nothing has been dropped), and it is durable
     * once any later synced write returns: the staged writes into the new token, or the commit's
     * final compare-and-set of the branch.
     */
    public boolean sealBranch(String repo, String name, byte[] expected, BranchRecord update) {
        return CasOutcomes.compareAndSet(kv.deferringSync(), KeyLayout.branch(repo, name), expected, update.encode());
    }

    /** Deletes a branch if its record is still exactly {@code expected}. */
    public boolean deleteBranch(String repo, String name, byte[] expected) {
        return CasOutcomes.compareAndSet(kv, KeyLayout.branch(repo, name), expected, null);
    }

    public List<StoredBranchNamed> branches(String repo, String after, int limit) {
        List<StoredBranchNamed> out = new ArrayList<>();
        scanNames(KeyLayout.branches(repo), after, limit,
                (name, v) -> out.add(new StoredBranchNamed(name, BranchRecord.decode(v))));
        return out;
    }

    public record StoredBranchNamed(String name, BranchRecord record) {}

    // ---- tags ----

    public Optional<String> tag(String repo, String name) {
        return kv.get(KeyLayout.tag(repo, name)).map(Bytes::string);
    }

    public boolean createTag(String repo, String name, String commitId) {
        return CasOutcomes.compareAndSet(kv, KeyLayout.tag(repo, name), null, Bytes.utf8(commitId));
    }

    public void deleteTag(String repo, String name) {
        kv.delete(KeyLayout.tag(repo, name));
    }

    public List<String[]> tags(String repo, String after, int limit) {
        List<String[]> out = new ArrayList<>();
        scanNames(KeyLayout.tags(repo), after, limit, (name, v) -> out.add(new String[] {name, Bytes.string(v)}));
        return out;
    }

    // ---- commits ----

    public Optional<Commit> commit(String repo, String id) {
        String ck = commitKey(repo, id);
        Commit c = ck == null ? null : commits.getIfPresent(ck);
        if (c != null) {
            return Optional.of(c);
        }
        Optional<Commit> found = kv.get(KeyLayout.commit(repo, id)).map(b -> CommitCodec.decode(id, b));
        if (ck != null) {
            found.ifPresent(x -> commits.put(ck, x));
        }
        return found;
    }

    /**
     * Stores a commit record, without a sync of its own ({@link KvStore#deferringSync()}): every caller
     * then moves a ref to it with a synced compare-and-set, which makes the record durable with it
     * (the store's writes are durable in order); a record whose ref never moves is unreferenced.
     */
    public void putCommit(String repo, Commit c) {
        byte[] key = KeyLayout.commit(repo, c.id());
        if (kv.get(key).isEmpty()) {
            CasOutcomes.compareAndSet(kv.deferringSync(), key, null, CommitCodec.encode(c));
        }
        String ck = commitKey(repo, c.id());
        if (ck != null) {
            commits.put(ck, c);
        }
    }

    /** The cache of decoded commits (for metrics). */
    public Cache<String, Commit> commitCache() {
        return commits;
    }

    /** Forgets cached commits of a repository (after it is deleted here). */
    public void forgetRepository(String repo) {
        String incarnation = incarnations.getIfPresent(repo);
        incarnations.invalidate(repo);
        if (incarnation != null) {
            commits.asMap().keySet().removeIf(k -> k.startsWith(incarnation + '/'));
        }
    }

    /** Ids of commits starting with {@code prefix}, at most {@code limit}. */
    public List<String> commitIdsWithPrefix(String repo, String prefix, int limit) {
        List<String> out = new ArrayList<>();
        byte[] p = Bytes.concat(KeyLayout.commits(repo), Bytes.utf8(prefix));
        byte[] commits = KeyLayout.commits(repo);
        try (KvIterator it = kv.scan(p, p)) {
            while (it.hasNext() && out.size() < limit) {
                KvEntry e = it.next();
                out.add(KeyLayout.after(commits, e.key()));
            }
        }
        return out;
    }

    // ---- repository metadata ----

    /** A repository's metadata and the exact bytes read ({@code null} when none was ever set). */
    public record StoredMetadata(Map<String, String> metadata, byte[] raw) {}

    public StoredMetadata repositoryMetadata(String repo) {
        byte[] raw = kv.get(KeyLayout.repositoryMetadata(repo)).orElse(null);
        return new StoredMetadata(raw == null ? Map.of() : new BinaryReader(raw).readMap(), raw);
    }

    /** Replaces the metadata if it is still {@code expected} (as read); an empty map removes the record. */
    public boolean casRepositoryMetadata(String repo, byte[] expected, Map<String, String> metadata) {
        byte[] update = metadata.isEmpty() ? null : new BinaryWriter().writeMap(new TreeMap<>(metadata)).toByteArray();
        if (expected == null && update == null) {
            return true;
        }
        return CasOutcomes.compareAndSet(kv, KeyLayout.repositoryMetadata(repo), expected, update);
    }

    // ---- helpers ----

    private void scanNames(byte[] prefix, String after, int limit, BiConsumer<String, byte[]> sink) {
        byte[] from = after == null || after.isEmpty() ? prefix : Bytes.successor(Bytes.concat(prefix, Bytes.utf8(after)));
        int n = 0;
        try (KvIterator it = kv.scan(prefix, from)) {
            while (it.hasNext() && n < limit) {
                KvEntry e = it.next();
                sink.accept(KeyLayout.after(prefix, e.key()), e.value());
                n++;
            }
        }
    }
}
