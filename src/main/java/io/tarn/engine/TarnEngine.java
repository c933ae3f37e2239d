package io.tarn.engine;

import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreException;
import io.tarn.block.ByteRange;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.error.AlreadyExistsException;
import io.tarn.engine.error.DefaultBranchException;
import io.tarn.engine.error.DirtyBranchException;
import io.tarn.engine.error.InvalidArgumentException;
import io.tarn.engine.error.MergeConflictException;
import io.tarn.engine.error.NotFoundException;
import io.tarn.engine.error.NothingToCommitException;
import io.tarn.engine.error.NothingToMergeException;
import io.tarn.engine.error.TooManyRetriesException;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.MergeSummary;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.model.Tag;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.CommitGraph;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.refs.RefResolver;
import io.tarn.engine.refs.ResolvedRef;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.CommittedTrees;
import io.tarn.engine.tree.DiffRecord;
import io.tarn.engine.tree.Peeking;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.engine.tree.TreeWriter;
import io.tarn.kv.KvStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versioning engine over a {@link KvStore} (metadata) and a {@link BlockStore} (object data and
 * committed trees). Every branch update is a compare-and-set on the branch record, so several engines
 * may share one store. The engine does not close the stores it was given.
 */
public final class TarnEngine implements Engine {

    static final String NAMESPACE_MARKER = "_tarn/namespace.json";

    private final KvStore kv;
    private final BlockStore blocks;
    private final EngineConfig config;
    private final MetaStore meta;
    private final RefResolver refs;
    private final CommitGraph graph;
    private final Staging staging;
    private final CommittedTrees trees;
    private final Addresses addresses = new Addresses();
    private final ConcurrentHashMap<String, StorageNamespace> namespaces = new ConcurrentHashMap<>();
    /** repository/branch -> the staging token last seen current (a hint; never trusted without a re-read). */
    private final ConcurrentHashMap<String, String> tokenHints = new ConcurrentHashMap<>();

    public TarnEngine(KvStore kv, BlockStore blocks, EngineConfig config) {
        this.kv = kv;
        this.blocks = blocks;
        this.config = config;
        this.meta = new MetaStore(kv);
        this.refs = new RefResolver(meta);
        this.graph = new CommitGraph(meta);
        this.staging = new Staging(kv);
        this.trees = new CommittedTrees(blocks, config.cacheDir(), config.diskCacheBytes(),
                config.memoryCacheBytes(), config.boundary());
    }

    /** The committed-tree layer (its range counters are what tests and benchmarks look at). */
    public CommittedTrees trees() {
        return trees;
    }

    // =====================================================================================
    // repositories
    // =====================================================================================

    @Override
    public Repository createRepository(String id, String storageNamespace, String defaultBranch) {
        Names.repository(id);
        Names.branch(defaultBranch);
        if (storageNamespace == null || storageNamespace.isBlank()) {
            throw new InvalidArgumentException("storage namespace must not be empty");
        }
        StorageNamespace ns;
        try {
            ns = blocks.namespace(storageNamespace);
        } catch (InvalidNamespaceException e) {
            throw new InvalidArgumentException("invalid storage namespace: " + e.getMessage());
        }
        if (meta.repository(id).isPresent()) {
            throw new AlreadyExistsException("repository " + id + " already exists");
        }
        claimNamespace(ns, id);
        trees.forgetNamespace(ns);
        long now = Instant.now().getEpochSecond();
        Commit initial = CommitCodec.create(List.of(), "", "Repository created", now, Map.of(), TreeIndex.EMPTY_ID, 1);
        meta.putCommit(id, initial);
        if (!meta.casBranch(id, defaultBranch, null, new BranchRecord(initial.id(), Staging.newToken(), List.of()))) {
            throw new AlreadyExistsException("repository " + id + " already exists");
        }
        Repository repo = new Repository(id, storageNamespace, defaultBranch, now);
        if (!meta.createRepository(repo)) {
            throw new AlreadyExistsException("repository " + id + " already exists");
        }
        namespaces.put(id, ns);
        return repo;
    }

    private static final Pattern MARKER_OWNER = Pattern.compile("\"repository\"\\s*:\\s*\"([^\"]*)\"");

    /** Probes the namespace: refuses one that holds another repository, and checks it can be written and read. */
    private void claimNamespace(StorageNamespace ns, String id) {
        byte[] marker = ("{\"repository\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            if (blocks.stat(ns, NAMESPACE_MARKER).isPresent()) {
                String owner = readMarkerOwner(ns);
                if (!id.equals(owner)) {
                    throw new AlreadyExistsException("storage namespace " + ns.uri() + " already in use by repository "
                            + (owner == null ? "(unknown)" : owner));
                }
            }
            blocks.put(ns, NAMESPACE_MARKER, new ByteArrayInputStream(marker), marker.length);
            if (!id.equals(readMarkerOwner(ns))) {
                throw new InvalidArgumentException("storage namespace not reachable: marker did not read back");
            }
        } catch (BlockStoreException e) {
            throw new InvalidArgumentException("storage namespace not reachable: " + e.getMessage());
        }
    }

    private String readMarkerOwner(StorageNamespace ns) {
        try (InputStream in = blocks.get(ns, NAMESPACE_MARKER, null)) {
            Matcher m = MARKER_OWNER.matcher(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            throw new BlockStoreException("cannot read " + NAMESPACE_MARKER + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Repository getRepository(String id) {
        return repo(id);
    }

    private Repository repo(String id) {
        if (id == null || !Names.isRepositoryId(id)) {
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, String.valueOf(id));
        }
        return meta.repository(id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.REPOSITORY, id));
    }

    private StorageNamespace ns(Repository r) {
        StorageNamespace ns = namespaces.get(r.id());
        if (ns == null || !ns.uri().equals(r.storageNamespace())) {
            ns = blocks.namespace(r.storageNamespace());
            namespaces.put(r.id(), ns);
        }
        return ns;
    }

    @Override
    public Page<Repository> listRepositories(String after, int amount) {
        amount = Names.amount(amount);
        return page(meta.repositories(after, amount + 1), amount, Repository::id);
    }

    @Override
    public void deleteRepository(String id) {
        repo(id);
        kv.delete(MetaStore.repoKey(id));
        for (MetaStore.StoredBranchNamed b : meta.branches(id, null, Integer.MAX_VALUE)) {
            for (String t : b.record().readTokens()) {
                staging.drop(t);
            }
        }
        kv.deletePrefix(MetaStore.branchPrefix(id));
        kv.deletePrefix(MetaStore.tagPrefix(id));
        kv.deletePrefix(MetaStore.commitPrefix(id));
        meta.forgetRepository(id);
        namespaces.remove(id);
    }

    // =====================================================================================
    // branches and tags
    // =====================================================================================

    @Override
    public Branch createBranch(String repository, String name, String sourceRef) {
        repo(repository);
        Names.branch(name);
        if (meta.tag(repository, name).isPresent()) {
            throw new AlreadyExistsException("a tag named " + name + " already exists");
        }
        Commit source = refs.resolve(repository, sourceRef).commit();
        if (!meta.casBranch(repository, name, null, new BranchRecord(source.id(), Staging.newToken(), List.of()))) {
            throw new AlreadyExistsException("branch " + name + " already exists");
        }
        return new Branch(name, source.id());
    }

    @Override
    public Branch getBranch(String repository, String name) {
        repo(repository);
        return new Branch(name, branch(repository, name).record().commitId());
    }

    /** A branch for a write path that skipped reading the repository: a miss names what is missing. */
    private MetaStore.StoredBranch branchForWrite(String repository, String name) {
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

    private MetaStore.StoredBranch branch(String repository, String name) {
        if (!Names.isBranchName(name)) {
            throw new NotFoundException(NotFoundException.Kind.BRANCH, String.valueOf(name));
        }
        return meta.branch(repository, name).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.BRANCH, name));
    }

    @Override
    public Page<Branch> listBranches(String repository, String after, int amount) {
        repo(repository);
        amount = Names.amount(amount);
        List<Branch> items = meta.branches(repository, after, amount + 1).stream()
                .map(b -> new Branch(b.name(), b.record().commitId())).toList();
        return page(items, amount, Branch::name);
    }

    @Override
    public void deleteBranch(String repository, String name) {
        Repository r = repo(repository);
        for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
            MetaStore.StoredBranch b = branch(repository, name);
            if (r.defaultBranch().equals(name)) {
                throw new DefaultBranchException(name);
            }
            if (kv.compareAndSet(MetaStore.branchKey(repository, name), b.raw(), null)) {
                for (String t : b.record().readTokens()) {
                    staging.drop(t);
                }
                return;
            }
        }
        throw new TooManyRetriesException("branch " + name + " kept changing while being deleted");
    }

    @Override
    public Tag createTag(String repository, String name, String ref) {
        repo(repository);
        Names.tag(name);
        if (meta.branch(repository, name).isPresent()) {
            throw new AlreadyExistsException("a branch named " + name + " already exists");
        }
        Commit c = refs.resolve(repository, ref).commit();
        if (!meta.createTag(repository, name, c.id())) {
            throw new AlreadyExistsException("tag " + name + " already exists");
        }
        return new Tag(name, c.id());
    }

    @Override
    public Tag getTag(String repository, String name) {
        repo(repository);
        if (!Names.isBranchName(name)) {
            throw new NotFoundException(NotFoundException.Kind.TAG, String.valueOf(name));
        }
        return new Tag(name, meta.tag(repository, name)
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.TAG, name)));
    }

    @Override
    public Page<Tag> listTags(String repository, String after, int amount) {
        repo(repository);
        amount = Names.amount(amount);
        List<Tag> items = meta.tags(repository, after, amount + 1).stream().map(t -> new Tag(t[0], t[1])).toList();
        return page(items, amount, Tag::name);
    }

    @Override
    public void deleteTag(String repository, String name) {
        getTag(repository, name);
        kv.delete(MetaStore.tagKey(repository, name));
    }

    // =====================================================================================
    // objects
    // =====================================================================================

    @Override
    public ObjectEntry putObject(String repository, String branch, String path, InputStream content,
                                 long contentLength, String contentType, Map<String, String> userMetadata) {
        Repository r = repo(repository);
        byte[] key = Names.path(path);
        MetaStore.StoredBranch b = branch(repository, branch);
        if (content == null) {
            throw new InvalidArgumentException("object content is missing");
        }
        String address = addresses.next();
        PutResult put;
        try {
            put = blocks.put(ns(r), address, content, contentLength);
        } catch (IncompleteUploadException e) {
            throw new InvalidArgumentException("upload incomplete: " + e.getMessage());
        }
        ObjectEntry entry = new ObjectEntry(path, address, put.size(), put.etag(), System.currentTimeMillis(),
                contentType, userMetadata);
        stage(repository, branch, key, EntryCodec.encode(entry), b);
        return entry;
    }

    @Override
    public ObjectEntry stageObject(String repository, String branch, ObjectEntry entry) {
        if (repository == null || !Names.isRepositoryId(repository)) {
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, String.valueOf(repository));
        }
        if (entry == null) {
            throw new InvalidArgumentException("entry is missing");
        }
        byte[] key = Names.path(entry.path());
        if (entry.physicalAddress() == null || entry.physicalAddress().isEmpty()) {
            throw new InvalidArgumentException("physical address must not be empty");
        }
        if (entry.checksum() == null || entry.size() < 0) {
            throw new InvalidArgumentException("entry needs a checksum and a non-negative size");
        }
        // the branch read below also proves the repository exists (branch keys go with it)
        stage(repository, branch, key, EntryCodec.encode(entry), null);
        return entry;
    }

    /**
     * Writes a staged value (or a tombstone when {@code value == null}) so that it is never lost to a
     * concurrent commit: write into a token, then re-read the branch; if that token is still the
     * branch's current one, any later seal of it comes after the write, so the commit that seals it
     * includes the write. Otherwise (a commit sealed it meanwhile) the value is removed from the stale
     * token and written again into the current one.
     *
     * <p>The first token tried may come from {@code initial} or, when that is {@code null}, from the
     * last token this engine saw for the branch: only the re-read after the write decides, so a stale
     * hint costs one retry and saves a read on every other write.
     */
    private void stage(String repository, String branch, byte[] key, byte[] value, MetaStore.StoredBranch initial) {
        String hintKey = repository + '/' + branch;
        String token = initial != null ? initial.record().stagingToken() : tokenHints.get(hintKey);
        if (token == null) {
            token = branchForWrite(repository, branch).record().stagingToken();
        }
        for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
            if (value == null) {
                staging.putTombstone(token, key);
            } else {
                staging.put(token, key, value);
            }
            String current;
            try {
                current = branchForWrite(repository, branch).record().stagingToken();
            } catch (NotFoundException gone) {
                staging.delete(token, key);
                tokenHints.remove(hintKey);
                throw gone;
            }
            if (current.equals(token)) {
                rememberToken(hintKey, token);
                return;
            }
            // the token was sealed (or the branch reset) while we wrote: no garbage left in it
            staging.delete(token, key);
            token = current;
        }
        throw new TooManyRetriesException("branch " + branch + " kept changing while writing");
    }

    private void rememberToken(String hintKey, String token) {
        if (tokenHints.size() > 100_000) {
            tokenHints.clear();
        }
        tokenHints.put(hintKey, token);
    }

    @Override
    public ObjectEntry statObject(String repository, String ref, String path) {
        Repository r = repo(repository);
        byte[] key = Names.path(path);
        ResolvedRef rr = refs.resolve(repository, ref);
        byte[] v = lookup(ns(r), rr, key);
        if (v == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        return EntryCodec.decode(path, v);
    }

    /** The encoded entry at {@code key} as seen from a resolved ref, or {@code null}. */
    private byte[] lookup(StorageNamespace ns, ResolvedRef rr, byte[] key) {
        if (rr.hasStaging()) {
            Record staged = staging.get(rr.branch().readTokens(), key);
            if (staged != null) {
                return staged.value();
            }
        }
        return trees.get(ns, trees.tree(ns, rr.commit().treeId()), key);
    }

    @Override
    public InputStream readObject(String repository, ObjectEntry entry, ByteRange range) {
        Repository r = repo(repository);
        try {
            return blocks.get(ns(r), entry.physicalAddress(), range);
        } catch (BlockNotFoundException e) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, entry.path());
        }
    }

    @Override
    public void deleteObject(String repository, String branch, String path) {
        Repository r = repo(repository);
        byte[] key = Names.path(path);
        MetaStore.StoredBranch b = branch(repository, branch);
        Commit head = commit(repository, b.record().commitId());
        if (lookup(ns(r), new ResolvedRef(head, branch, b.record()), key) == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        stage(repository, branch, key, null, b);
    }

    @Override
    public Page<ListItem> listObjects(String repository, String ref, String prefix, String delimiter,
                                      String after, int amount) {
        Repository r = repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ns(r);
        ResolvedRef rr = refs.resolve(repository, ref);
        byte[] pre = Bytes.utf8(prefix == null ? "" : prefix);
        byte[] delim = Bytes.utf8(delimiter == null ? "" : delimiter);
        byte[] start = pre;
        if (after != null && !after.isEmpty()) {
            byte[] a = Bytes.utf8(after);
            if (Bytes.compare(a, pre) >= 0) {
                start = Bytes.successor(a);
                if (delim.length > 0 && Bytes.startsWith(a, pre)) {
                    int idx = indexOf(a, delim, pre.length);
                    if (idx >= 0) {
                        // `after` lies inside a common prefix that was already listed: skip all of it
                        start = Bytes.prefixEnd(java.util.Arrays.copyOf(a, idx + delim.length));
                    }
                }
            }
        }
        List<ListItem> items = new ArrayList<>();
        if (start != null) {
            List<String> tokens = rr.hasStaging() ? rr.branch().readTokens() : List.of();
            try (BranchView view = new BranchView(trees, staging, ns, trees.tree(ns, rr.commit().treeId()), tokens)) {
                view.seek(start);
                while (view.hasNext() && items.size() <= amount) {
                    byte[] k = view.key();
                    if (!Bytes.startsWith(k, pre)) {
                        break;
                    }
                    int idx = delim.length == 0 ? -1 : indexOf(k, delim, pre.length);
                    if (idx >= 0) {
                        byte[] cp = java.util.Arrays.copyOf(k, idx + delim.length);
                        items.add(new CommonPrefix(Bytes.string(cp)));
                        byte[] next = Bytes.prefixEnd(cp);
                        if (next == null) {
                            break;
                        }
                        view.seek(next);
                    } else {
                        items.add(EntryCodec.decode(Bytes.string(k), view.value()));
                        view.advance();
                    }
                }
            }
        }
        return page(items, amount, ListItem::path);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // =====================================================================================
    // diffs
    // =====================================================================================

    @Override
    public Page<Change> diffBranch(String repository, String branch, String after, int amount) {
        Repository r = repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ns(r);
        BranchRecord b = branch(repository, branch).record();
        TreeIndex tree = trees.tree(ns, commit(repository, b.commitId()).treeId());
        List<Change> out = new ArrayList<>();
        byte[] from = after == null || after.isEmpty() ? null : Bytes.successor(Bytes.utf8(after));
        try (Staging.Scan scan = staging.scan(b.readTokens(), from)) {
            while (scan.hasNext() && out.size() <= amount) {
                Record s = scan.next();
                byte[] committed = trees.get(ns, tree, s.key());
                if (!EntryCodec.sameIdentity(committed, s.value())) {
                    out.add(change(new DiffRecord(s.key(), committed, s.value())));
                }
            }
        }
        return page(out, amount, Change::path);
    }

    /** Whether the branch has staged changes that differ from its head commit. */
    private boolean isDirty(StorageNamespace ns, BranchRecord b, Commit head) {
        TreeIndex tree = trees.tree(ns, head.treeId());
        try (Staging.Scan scan = staging.scan(b.readTokens(), null)) {
            while (scan.hasNext()) {
                Record s = scan.next();
                if (!EntryCodec.sameIdentity(trees.get(ns, tree, s.key()), s.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Change change(DiffRecord d) {
        String path = Bytes.string(d.key());
        if (d.before() == null) {
            return new Change(ChangeType.ADDED, path, EntryCodec.decode(path, d.after()));
        }
        if (d.after() == null) {
            return new Change(ChangeType.REMOVED, path, EntryCodec.decode(path, d.before()));
        }
        return new Change(ChangeType.CHANGED, path, EntryCodec.decode(path, d.after()));
    }

    @Override
    public Page<Change> diffRefs(String repository, String leftRef, String rightRef, DiffType type,
                                 String after, int amount) {
        Repository r = repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ns(r);
        ResolvedRef left = refs.resolve(repository, leftRef);
        ResolvedRef right = refs.resolve(repository, rightRef);
        ResolvedRef before;
        if (type == DiffType.TWO_DOT) {
            before = right;
        } else {
            Commit base = graph.mergeBase(repository, left.commit(), right.commit());
            before = base == null ? null : new ResolvedRef(base, null, null);
        }
        byte[] afterKey = after == null || after.isEmpty() ? null : Bytes.utf8(after);
        List<Change> out = new ArrayList<>();
        try (DiffStream ds = diffStream(ns, before, left, afterKey)) {
            while (ds.hasNext() && out.size() <= amount) {
                out.add(change(ds.next()));
            }
        }
        return page(out, amount, Change::path);
    }

    /** A closeable stream of differences. */
    private interface DiffStream extends Iterator<DiffRecord>, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Differences from {@code before} (null = the empty tree) to {@code after}. Between two commits this
     * is the range-skipping tree diff; when a side carries staged changes, the candidate paths are the
     * tree diff's plus every staged path of either side, each compared through a point lookup.
     */
    private DiffStream diffStream(StorageNamespace ns, ResolvedRef before, ResolvedRef after, byte[] afterKey) {
        TreeIndex beforeTree = before == null ? TreeIndex.EMPTY : trees.tree(ns, before.commit().treeId());
        TreeIndex afterTree = trees.tree(ns, after.commit().treeId());
        Iterator<DiffRecord> treeDiff = trees.diff(ns, beforeTree, afterTree, afterKey);
        boolean overlay = (before != null && before.hasStaging()) || after.hasStaging();
        if (!overlay) {
            return new DiffStream() {
                @Override
                public boolean hasNext() {
                    return treeDiff.hasNext();
                }

                @Override
                public DiffRecord next() {
                    return treeDiff.next();
                }

                @Override
                public void close() {
                }
            };
        }
        byte[] from = afterKey == null ? null : Bytes.successor(afterKey);
        List<Staging.Scan> scans = new ArrayList<>();
        List<Peeking<byte[]>> keys = new ArrayList<>();
        keys.add(new Peeking<>(map(treeDiff, DiffRecord::key)));
        for (ResolvedRef side : new ResolvedRef[] {before, after}) {
            if (side != null && side.hasStaging()) {
                Staging.Scan s = staging.scan(side.branch().readTokens(), from);
                scans.add(s);
                keys.add(new Peeking<>(map(s, Record::key)));
            }
        }
        return new DiffStream() {
            DiffRecord next;

            private DiffRecord compute() {
                while (true) {
                    byte[] min = null;
                    for (Peeking<byte[]> k : keys) {
                        if (k.hasNext() && (min == null || Bytes.compare(k.peek(), min) < 0)) {
                            min = k.peek();
                        }
                    }
                    if (min == null) {
                        return null;
                    }
                    for (Peeking<byte[]> k : keys) {
                        if (k.hasNext() && Bytes.compare(k.peek(), min) == 0) {
                            k.next();
                        }
                    }
                    byte[] vb = before == null ? null : lookup(ns, before, min);
                    byte[] va = lookup(ns, after, min);
                    if (!EntryCodec.sameIdentity(vb, va)) {
                        return new DiffRecord(min, vb, va);
                    }
                }
            }

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = compute();
                }
                return next != null;
            }

            @Override
            public DiffRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                DiffRecord d = next;
                next = null;
                return d;
            }

            @Override
            public void close() {
                scans.forEach(Staging.Scan::close);
            }
        };
    }

    private static <A, B> Iterator<B> map(Iterator<A> in, Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public B next() {
                return f.apply(in.next());
            }
        };
    }

    // =====================================================================================
    // commits
    // =====================================================================================

    private Commit commit(String repository, String id) {
        return meta.commit(repository, id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.COMMIT, id));
    }

    @Override
    public Commit commit(String repository, String branch, CommitRequest request) {
        Repository r = repo(repository);
        StorageNamespace ns = ns(r);
        CommitRequest req = request == null ? new CommitRequest("", "", Map.of(), false) : request;
        for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
            MetaStore.StoredBranch b = branch(repository, branch);
            BranchRecord rec = b.record();
            if (rec.sealedTokens().isEmpty() && !req.allowEmpty() && !staging.hasAny(rec.stagingToken())) {
                throw new NothingToCommitException(branch);
            }
            List<String> ours = new ArrayList<>(rec.readTokens());
            BranchRecord sealed = new BranchRecord(rec.commitId(), Staging.newToken(), ours);
            if (!meta.casBranch(repository, branch, b.raw(), sealed)) {
                backoff(attempt);
                continue;
            }
            Commit parent = commit(repository, rec.commitId());
            TreeWriter.Result result;
            try (Staging.Scan changes = staging.scan(ours, null)) {
                result = trees.apply(ns, parent.treeId(), changes);
            }
            if (result.changed() == 0 && !req.allowEmpty()) {
                if (finish(repository, branch, parent.id(), ours, null)) {
                    throw new NothingToCommitException(branch);
                }
                backoff(attempt);
                continue;
            }
            Commit c = CommitCodec.create(List.of(parent.id()), req.committer(), req.message(),
                    Instant.now().getEpochSecond(), req.metadata(), result.treeId(), parent.generation() + 1);
            meta.putCommit(repository, c);
            if (finish(repository, branch, parent.id(), ours, c.id())) {
                return c;
            }
            backoff(attempt);
        }
        throw new TooManyRetriesException("branch " + branch + " kept changing while committing; try again");
    }

    /**
     * The final compare-and-set of a commit, merge or revert: if the branch still points at
     * {@code expectedHead} and its sealed tokens still end with {@code sealed}, move it to
     * {@code newHead} (or keep the head when {@code null}), drop those sealed tokens and keep the current
     * staging token. Returns false if the branch moved on (the caller starts over).
     */
    private boolean finish(String repository, String branch, String expectedHead, List<String> sealed, String newHead) {
        while (true) {
            Optional<MetaStore.StoredBranch> ob = meta.branch(repository, branch);
            if (ob.isEmpty()) {
                throw new NotFoundException(NotFoundException.Kind.BRANCH, branch);
            }
            BranchRecord cur = ob.get().record();
            List<String> curSealed = cur.sealedTokens();
            if (!cur.commitId().equals(expectedHead) || curSealed.size() < sealed.size()
                    || !curSealed.subList(curSealed.size() - sealed.size(), curSealed.size()).equals(sealed)) {
                return false;
            }
            BranchRecord next = new BranchRecord(newHead == null ? expectedHead : newHead, cur.stagingToken(),
                    curSealed.subList(0, curSealed.size() - sealed.size()));
            if (meta.casBranch(repository, branch, ob.get().raw(), next)) {
                for (String t : sealed) {
                    staging.drop(t);
                }
                return true;
            }
        }
    }

    private static void backoff(int attempt) {
        if (attempt > 2) {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(attempt, 20)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TooManyRetriesException("interrupted");
            }
        }
    }

    @Override
    public Commit getCommit(String repository, String ref) {
        repo(repository);
        return refs.resolve(repository, ref).commit();
    }

    @Override
    public Page<Commit> log(String repository, String ref, boolean firstParentOnly, String after, int amount) {
        repo(repository);
        amount = Names.amount(amount);
        Commit head = refs.resolve(repository, ref).commit();
        Iterator<Commit> it = graph.history(repository, head, firstParentOnly);
        if (after != null && !after.isEmpty()) {
            boolean found = false;
            while (it.hasNext()) {
                if (it.next().id().equals(after)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return new Page<>(List.of(), false, null);
            }
        }
        List<Commit> out = new ArrayList<>();
        while (it.hasNext() && out.size() <= amount) {
            out.add(it.next());
        }
        return page(out, amount, Commit::id);
    }

    @Override
    public void reset(String repository, String branch, ResetScope scope) {
        repo(repository);
        if (scope == null) {
            throw new InvalidArgumentException("reset scope is missing");
        }
        switch (scope) {
            case ResetScope.All all -> {
                for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
                    MetaStore.StoredBranch b = branch(repository, branch);
                    BranchRecord fresh = new BranchRecord(b.record().commitId(), Staging.newToken(), List.of());
                    if (meta.casBranch(repository, branch, b.raw(), fresh)) {
                        for (String t : b.record().readTokens()) {
                            staging.drop(t);
                        }
                        return;
                    }
                }
                throw new TooManyRetriesException("branch " + branch + " kept changing while resetting");
            }
            case ResetScope.Path p -> {
                byte[] key = Names.path(p.path());
                for (String t : branch(repository, branch).record().readTokens()) {
                    staging.delete(t, key);
                }
            }
            case ResetScope.Prefix p -> {
                byte[] pre = Bytes.utf8(p.prefix() == null ? "" : p.prefix());
                for (String t : branch(repository, branch).record().readTokens()) {
                    staging.deletePrefix(t, pre);
                }
            }
        }
    }

    // =====================================================================================
    // merge and revert
    // =====================================================================================

    @Override
    public MergeResult merge(String repository, String sourceRef, String destinationBranch, MergeRequest request) {
        Repository r = repo(repository);
        StorageNamespace ns = ns(r);
        MergeRequest req = request == null ? new MergeRequest(null, null, null, null) : request;
        for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
            MetaStore.StoredBranch d = branch(repository, destinationBranch);
            Commit source = refs.resolve(repository, sourceRef).commit();
            Commit dest = commit(repository, d.record().commitId());
            if (isDirty(ns, d.record(), dest)) {
                throw new DirtyBranchException(destinationBranch);
            }
            Commit base = graph.mergeBase(repository, source, dest);
            if (base != null && base.id().equals(source.id())) {
                throw new NothingToMergeException(sourceRef, destinationBranch);
            }
            TreeIndex baseTree = base == null ? TreeIndex.EMPTY : trees.tree(ns, base.treeId());
            TreeIndex srcTree = trees.tree(ns, source.treeId());
            TreeIndex dstTree = trees.tree(ns, dest.treeId());
            ChangeCollector collected = new ChangeCollector();
            String treeId;
            if (base != null && base.id().equals(dest.id())) {
                trees.diff(ns, dstTree, srcTree, null).forEachRemaining(x -> collected.applied(x, false));
                treeId = source.treeId();
            } else {
                treeId = threeWay(ns, baseTree, srcTree, dstTree, req.strategy(), collected);
            }
            String message = req.message() == null || req.message().isEmpty()
                    ? "Merge '" + sourceRef + "' into '" + destinationBranch + "'" : req.message();
            Commit c = CommitCodec.create(List.of(dest.id(), source.id()), req.committer(), message,
                    Instant.now().getEpochSecond(), req.metadata(), treeId,
                    Math.max(dest.generation(), source.generation()) + 1);
            meta.putCommit(repository, c);
            if (finish(repository, destinationBranch, dest.id(), List.of(), c.id())) {
                return new MergeResult(c, collected.listed, collected.summary());
            }
            backoff(attempt);
        }
        throw new TooManyRetriesException("branch " + destinationBranch + " kept changing while merging; try again");
    }

    @Override
    public Commit revert(String repository, String branch, String commitRef, int parentNumber, CommitRequest request) {
        Repository r = repo(repository);
        StorageNamespace ns = ns(r);
        CommitRequest req = request == null ? new CommitRequest(null, null, null, false) : request;
        Commit target = refs.resolve(repository, commitRef).commit();
        if (target.parents().isEmpty()) {
            throw new InvalidArgumentException("commit " + target.id() + " has no parent to revert to");
        }
        if (parentNumber < 1 || parentNumber > target.parents().size()) {
            throw new InvalidArgumentException("parent number " + parentNumber + " out of range: commit has "
                    + target.parents().size() + " parent(s)");
        }
        Commit parent = commit(repository, target.parents().get(parentNumber - 1));
        for (int attempt = 0; attempt < config.maxRetries(); attempt++) {
            MetaStore.StoredBranch b = branch(repository, branch);
            Commit head = commit(repository, b.record().commitId());
            if (isDirty(ns, b.record(), head)) {
                throw new DirtyBranchException(branch);
            }
            ChangeCollector collected = new ChangeCollector();
            String treeId = threeWay(ns, trees.tree(ns, target.treeId()), trees.tree(ns, parent.treeId()),
                    trees.tree(ns, head.treeId()), MergeStrategy.NONE, collected);
            if (collected.total() == 0 && !req.allowEmpty()) {
                throw new NothingToCommitException(branch);
            }
            String message = req.message() == null || req.message().isEmpty() ? "Revert " + target.id() : req.message();
            Commit c = CommitCodec.create(List.of(head.id()), req.committer(), message,
                    Instant.now().getEpochSecond(), req.metadata(), treeId, head.generation() + 1);
            meta.putCommit(repository, c);
            if (finish(repository, branch, head.id(), List.of(), c.id())) {
                return c;
            }
            backoff(attempt);
        }
        throw new TooManyRetriesException("branch " + branch + " kept changing while reverting; try again");
    }

    /**
     * Three-way merge of the changes base -> source onto dest. With strategy NONE any conflict fails the
     * merge before anything is written. Returns the new tree id.
     */
    private String threeWay(StorageNamespace ns, TreeIndex base, TreeIndex source, TreeIndex dest,
                            MergeStrategy strategy, ChangeCollector collected) {
        if (strategy == MergeStrategy.NONE) {
            List<String> paths = new ArrayList<>();
            long total = 0;
            ThreeWay check = new ThreeWay(ns, base, source, dest, MergeStrategy.NONE, null);
            while (check.hasNext()) {
                check.next();
            }
            for (byte[] k : check.conflicts) {
                if (paths.size() < MergeResult.MAX_LISTED) {
                    paths.add(Bytes.string(k));
                }
            }
            total = check.conflictCount;
            if (total > 0) {
                throw new MergeConflictException(paths, total);
            }
        }
        ThreeWay apply = new ThreeWay(ns, base, source, dest, strategy, collected);
        return trees.apply(ns, dest, apply).treeId();
    }

    /** The change stream of a three-way merge: what to apply to dest, in key order. */
    private final class ThreeWay implements Iterator<Record> {
        private final Peeking<DiffRecord> s;
        private final Peeking<DiffRecord> d;
        private final MergeStrategy strategy;
        private final ChangeCollector collected;
        final List<byte[]> conflicts = new ArrayList<>();
        long conflictCount;
        private Record next;

        ThreeWay(StorageNamespace ns, TreeIndex base, TreeIndex source, TreeIndex dest, MergeStrategy strategy,
                 ChangeCollector collected) {
            this.s = new Peeking<>(trees.diff(ns, base, source, null));
            this.d = new Peeking<>(trees.diff(ns, base, dest, null));
            this.strategy = strategy;
            this.collected = collected;
        }

        private Record compute() {
            while (s.hasNext()) {
                DiffRecord sc = s.next();
                while (d.hasNext() && Bytes.compare(d.peek().key(), sc.key()) < 0) {
                    d.next();
                }
                if (d.hasNext() && Bytes.compare(d.peek().key(), sc.key()) == 0) {
                    DiffRecord dc = d.next();
                    if (EntryCodec.sameIdentity(sc.after(), dc.after())) {
                        continue;
                    }
                    conflictCount++;
                    if (conflicts.size() < MergeResult.MAX_LISTED) {
                        conflicts.add(sc.key());
                    }
                    if (strategy == MergeStrategy.SOURCE_WINS) {
                        if (collected != null) {
                            collected.applied(new DiffRecord(sc.key(), dc.after(), sc.after()), true);
                        }
                        return new Record(sc.key(), sc.after());
                    }
                    if (collected != null) {
                        collected.conflict++;
                    }
                    continue;
                }
                if (collected != null) {
                    collected.applied(sc, false);
                }
                return new Record(sc.key(), sc.after());
            }
            return null;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = compute();
            }
            return next != null;
        }

        @Override
        public Record next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Record r = next;
            next = null;
            return r;
        }
    }

    /** The changes a merge applied to its destination: the first 1,000 listed, all counted. */
    private static final class ChangeCollector {
        final List<Change> listed = new ArrayList<>();
        long added;
        long removed;
        long changed;
        long conflict;

        void applied(DiffRecord d, boolean wasConflict) {
            Change c = change(d);
            switch (c.type()) {
                case ADDED -> added++;
                case REMOVED -> removed++;
                default -> changed++;
            }
            if (wasConflict) {
                conflict++;
            }
            if (listed.size() < MergeResult.MAX_LISTED) {
                listed.add(c);
            }
        }

        long total() {
            return added + removed + changed;
        }

        MergeSummary summary() {
            return new MergeSummary(added, removed, changed, conflict);
        }
    }

    // =====================================================================================
    // helpers
    // =====================================================================================

    private static <T> Page<T> page(List<T> items, int amount, Function<T, String> key) {
        if (items.size() > amount) {
            List<T> head = items.subList(0, amount);
            return new Page<>(head, true, key.apply(head.get(amount - 1)));
        }
        return new Page<>(items, false, null);
    }

    @Override
    public void close() {
        trees.close();
    }

    /** Physical addresses of new objects: {@code data/<partition>/<random id>}, a new partition every hour or 50,000 objects. */
    private static final class Addresses {
        private String partition;
        private long partitionStart;
        private int partitionCount;

        synchronized String next() {
            long now = System.currentTimeMillis();
            if (partition == null || partitionCount >= 50_000 || now - partitionStart >= 3_600_000L) {
                // newer partitions sort first, so a listing of data/ shows recent uploads first
                partition = String.format("%011x", 0xFFFFFFFFFFFL - now) + Staging.newToken().substring(0, 6);
                partitionStart = now;
                partitionCount = 0;
            }
            partitionCount++;
            return "data/" + partition + "/" + Staging.newToken();
        }
    }

}
