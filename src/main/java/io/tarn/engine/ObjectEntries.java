package io.tarn.engine;

import io.tarn.block.BlockNotFoundException;
import io.tarn.block.ByteRange;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.refs.ResolvedRef;
import io.tarn.engine.staging.Staging;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Objects: upload, stage, stat, read, delete and list (a bare branch ref sees committed + staged). */
final class ObjectEntries {

    private final EngineContext ctx;
    final StagedWrites writes;
    private static final Pattern FULL_COMMIT_ID = Pattern.compile("^[0-9a-f]{64}$");
    private final ObjectAddresses addresses = new ObjectAddresses();

    /**
     * A new object's data must be written within this time of its address being handed out, or it is
     * not staged: the garbage collector's grace period is longer, so an address it may collect as
     * abandoned is never staged afterwards (docs/gc.md).
     */
    static final java.time.Duration UPLOAD_DEADLINE = java.time.Duration.ofHours(1);

    ObjectEntries(EngineContext ctx) {
        this.ctx = ctx;
        this.writes = new StagedWrites(ctx);
    }

    ObjectEntry put(String repository, String branch, String path, InputStream content,
                    long contentLength, String contentType, Map<String, String> userMetadata) {
        byte[] key = Names.path(path);
        Target t = target(repository, branch);
        return upload(t, branch, path, key, content, contentLength, contentType, userMetadata);
    }

    /** A put whose content is opened only after the repository and branch are known to exist. */
    ObjectEntry put(String repository, String branch, String path, Engine.Content content,
                    long contentLength, String contentType, Map<String, String> userMetadata,
                    Supplier<ContentChecksum> contentChecksum) throws IOException {
        byte[] key = Names.path(path);
        Target t = target(repository, branch);
        try (InputStream in = content.open()) {
            String carried = content.contentType();
            return upload(t, branch, path, key, in, contentLength, carried != null ? carried : contentType,
                    userMetadata, contentChecksum);
        }
    }

    /** Where an upload goes: the repository (to write the data under) and, if it was read, the branch. */
    private record Target(Repository repository, MetaStore.StoredBranch branch) {}

    /**
     * The repository and branch of an upload. When this engine has seen both lately (a repository
     * record and a current staging token for the branch), nothing is read before the data is written:
     * {@link StagedWrites#stage} reads the branch and the repository after the write, in one round
     * trip, and keeps the write only if both are still what was assumed. Otherwise both are read first,
     * in one round trip (a missing repository or branch then reads no body).
     */
    private Target target(String repository, String branch) {
        if (repository != null && Names.isBranchName(branch)
                && ctx.tokenHints.getIfPresent(EngineContext.hintKey(repository, branch)) != null) {
            Repository known = ctx.repositoryHints.getIfPresent(repository);
            if (known != null) {
                return new Target(known, null);
            }
        }
        MetaStore.BranchRead read = ctx.readBranch(repository, branch, List.of());
        return new Target(read.repository().get(), read.branch().get());
    }

    private ObjectEntry upload(Target t, String branch, String path, byte[] key,
                               InputStream content, long contentLength, String contentType,
                               Map<String, String> userMetadata) {
        return upload(t, branch, path, key, content, contentLength, contentType, userMetadata, null);
    }

    /** {@code contentChecksum} is asked after the content was stored whole, before the entry is staged. */
    private ObjectEntry upload(Target t, String branch, String path, byte[] key,
                               InputStream content, long contentLength, String contentType,
                               Map<String, String> userMetadata, Supplier<ContentChecksum> contentChecksum) {
        if (content == null) {
            throw new InvalidArgumentException("object content is missing");
        }
        Repository r = t.repository();
        long handedOut = System.currentTimeMillis();
        String address = addresses.next();
        PutResult put;
        try {
            put = ctx.blocks.put(ctx.ns(r), address, content, contentLength);
        } catch (IncompleteUploadException e) {
            // The block store's message names the physical address: keep it out of what clients see.
            throw new InvalidArgumentException("upload of " + path
                    + " is incomplete: the content ended early or could not be read; nothing was stored");
        }
        if (System.currentTimeMillis() - handedOut > UPLOAD_DEADLINE.toMillis()) {
            // the collector may already count this address as abandoned: never stage it (docs/gc.md)
            ctx.blocks.delete(ctx.ns(r), address);
            throw new InvalidArgumentException("upload of " + path + " took longer than " + UPLOAD_DEADLINE.toMinutes()
                    + " minutes; nothing was stored (upload large objects in parts)");
        }
        ObjectEntry entry = new ObjectEntry(path, address, put.size(), put.etag(), System.currentTimeMillis(),
                contentType, userMetadata, contentChecksum == null ? null : contentChecksum.get());
        writes.stage(r.id(), branch, key, EntryCodec.encode(entry), t.branch(), r);
        return entry;
    }

    ObjectEntry stage(String repository, String branch, ObjectEntry entry) {
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
        writes.stage(repository, branch, key, EntryCodec.encode(entry), null, null);
        return entry;
    }

    ObjectEntry stat(String repository, String ref, String path) {
        return locate(repository, ref, path).entry();
    }

    /**
     * The repository and the entry {@code ref} sees at {@code path}. When the ref is a branch this
     * engine has read or written lately, one round trip to the metadata store: the staged entry in
     * the branch's last known staging token, then the branch record and the repository record
     * ({@link MetaStore#readBranch}); the staged value counts only if the branch record still names that
     * token and no commit is sealing older ones. The committed entry comes from the head commit's tree
     * (commits and trees are immutable and cached).
     */
    LocatedObject locate(String repository, String ref, String path) {
        byte[] key = Names.path(path);
        if (repository == null || !Names.isRepositoryId(repository) || !Names.isBranchName(ref)) {
            Repository r = ctx.repo(repository);
            return new LocatedObject(r, stat(r, ref, path));
        }
        String hintKey = EngineContext.hintKey(repository, ref);
        String hint = ctx.tokenHints.getIfPresent(hintKey);
        // asked for together: the staged entry in the hinted token, the tag of that name (a ref that is
        // no branch is most often a tag or a commit id), then the branch and the repository
        List<byte[]> before = new ArrayList<>(2);
        if (hint != null) {
            before.add(KeyLayout.staged(hint, key));
        }
        boolean tagName = Names.isTagName(ref);
        if (tagName) {
            before.add(KeyLayout.tag(repository, ref));
        }
        MetaStore.BranchRead read = ctx.meta.readBranch(repository, ref, before);
        Repository r = read.repository()
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.REPOSITORY, repository));
        ctx.repositoryHints.put(repository, r);
        if (read.branch().isEmpty()) {
            ctx.tokenHints.invalidate(hintKey);
            Optional<byte[]> tag = tagName ? read.before().get(before.size() - 1) : Optional.empty();
            Optional<Commit> commit = tag.isPresent()
                    ? ctx.meta.commit(repository, Bytes.string(tag.get()))
                    : FULL_COMMIT_ID.matcher(ref).matches() ? ctx.meta.commit(repository, ref) : Optional.empty();
            if (commit.isEmpty()) {
                // a commit-id prefix, or nothing: resolved the general way (which names what is missing)
                return new LocatedObject(r, stat(r, ref, path));
            }
            StorageNamespace ns = ctx.ns(r);
            byte[] v = ctx.trees.get(ns, ctx.trees.tree(ns, commit.get().treeId()), key);
            if (v == null) {
                throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
            }
            return new LocatedObject(r, EntryCodec.decode(path, v));
        }
        BranchRecord b = read.branch().get().record();
        StorageNamespace ns = ctx.ns(r);
        byte[] v;
        if (hint != null && hint.equals(b.stagingToken()) && b.sealedTokens().isEmpty()) {
            Optional<byte[]> staged = read.before().get(0);
            if (staged.isPresent()) {
                v = Staging.isTombstone(staged.get()) ? null : staged.get();
            } else {
                Commit head = ctx.commit(repository, b.commitId());
                v = ctx.trees.get(ns, ctx.trees.tree(ns, head.treeId()), key);
            }
        } else {
            v = settledLookup(ns, repository, ref, key, read.branch().get());
            ctx.tokenHints.put(hintKey, b.stagingToken());
        }
        if (v == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        return new LocatedObject(r, EntryCodec.decode(path, v));
    }

    /**
     * The value a branch shows at {@code key} when its staging tokens were not known before: the
     * staged entries of its tokens are read together with its record again ({@link MetaStore#readBranch}:
     * the entries no later than the record), and the answer counts only if the record did not change
     * since {@code first} was read (every change of a branch record writes a fresh token or head, so
     * equal bytes mean no change); else again with the new record. Without this, a commit finishing
     * between the read of the record and the read of its token (sealed, committed and dropped) would
     * make the entry look absent from both.
     */
    private byte[] settledLookup(StorageNamespace ns, String repository, String branch, byte[] key,
                                 MetaStore.StoredBranch first) {
        MetaStore.StoredBranch seen = first;
        for (int attempt = 1; ; attempt++) {
            List<String> tokens = seen.record().readTokens();
            List<byte[]> keys = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                keys.add(KeyLayout.staged(t, key));
            }
            MetaStore.BranchRead again = ctx.meta.readBranch(repository, branch, keys);
            if (again.branch().isEmpty()) {
                throw new NotFoundException(NotFoundException.Kind.BRANCH, branch);
            }
            MetaStore.StoredBranch now = again.branch().get();
            if (Arrays.equals(now.raw(), seen.raw()) || attempt >= EngineContext.SETTLE_ATTEMPTS) {
                for (int i = 0; i < tokens.size(); i++) {
                    Optional<byte[]> staged = again.before().get(i);
                    if (staged.isPresent()) {
                        return Staging.isTombstone(staged.get()) ? null : staged.get();
                    }
                }
                Commit head = ctx.commit(repository, seen.record().commitId());
                return ctx.trees.get(ns, ctx.trees.tree(ns, head.treeId()), key);
            }
            seen = now;
        }
    }

    ObjectEntry stat(Repository r, String ref, String path) {
        byte[] key = Names.path(path);
        ResolvedRef rr = ctx.refs.resolve(r.id(), ref);
        byte[] v = ctx.lookup(ctx.ns(r), rr, key);
        if (v == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        return EntryCodec.decode(path, v);
    }

    InputStream read(String repository, ObjectEntry entry, ByteRange range) {
        return read(ctx.repo(repository), entry, range);
    }

    InputStream read(Repository r, ObjectEntry entry, ByteRange range) {
        try {
            if (BlockLocations.isFull(entry.physicalAddress())) {
                // imported or externally staged data, outside the repository's namespace
                BlockLocations.Located at = BlockLocations.locate(ctx.blocks, entry.physicalAddress());
                return ctx.blocks.get(at.ns(), at.key(), range);
            }
            return ctx.blocks.get(ctx.ns(r), entry.physicalAddress(), range);
        } catch (BlockNotFoundException e) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, entry.path());
        }
    }

    void delete(String repository, String branch, String path) {
        Repository r = ctx.repo(repository);
        byte[] key = Names.path(path);
        StorageNamespace ns = ctx.ns(r);
        // the branch as last seen with the entry present, or null when absent (settled: a commit finishing
        // meanwhile must not make a staged entry look absent)
        MetaStore.StoredBranch b = ctx.settled(repository, branch, ctx.branch(repository, branch), seen -> {
            Commit head = ctx.commit(repository, seen.record().commitId());
            return ctx.lookup(ns, new ResolvedRef(head, branch, seen.record()), key) == null ? null : seen;
        });
        if (b == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        writes.stage(repository, branch, key, null, b, null);
    }

    Page<ListItem> list(String repository, String ref, String prefix, String delimiter, String after, int amount) {
        Repository r = ctx.repo(repository);
        ctx.repositoryHints.put(repository, r); // what an answer describing the listing's repository reads back
        amount = Names.amount(amount);
        StorageNamespace ns = ctx.ns(r);
        ResolvedRef rr = ctx.refs.resolve(repository, ref);
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
                        start = Bytes.prefixEnd(Arrays.copyOf(a, idx + delim.length));
                    }
                }
            }
        }
        if (start == null) {
            return EngineContext.page(List.of(), amount, ListItem::path);
        }
        if (!rr.hasStaging()) {
            return listPage(ns, rr.commit(), List.of(), pre, delim, start, amount);
        }
        byte[] from = start;
        int n = amount;
        MetaStore.StoredBranch first = new MetaStore.StoredBranch(rr.branch(), rr.branch().encode());
        return ctx.settled(repository, rr.branchName(), first, seen -> listPage(ns,
                seen.record().commitId().equals(rr.commit().id()) ? rr.commit() : ctx.commit(repository, seen.record().commitId()),
                seen.record().readTokens(), pre, delim, from, n));
    }

    /** One page of the entries at a commit overlaid with the staged entries of {@code tokens}, from {@code start}. */
    private Page<ListItem> listPage(StorageNamespace ns, Commit commit, List<String> tokens, byte[] pre, byte[] delim,
                                    byte[] start, int amount) {
        List<ListItem> items = new ArrayList<>();
        try (BranchView view = new BranchView(ctx.trees, ctx.staging, ns, ctx.trees.tree(ns, commit.treeId()), tokens)) {
            view.seek(start);
            while (view.hasNext() && items.size() <= amount) {
                byte[] k = view.key();
                if (!Bytes.startsWith(k, pre)) {
                    break;
                }
                int idx = delim.length == 0 ? -1 : indexOf(k, delim, pre.length);
                if (idx >= 0) {
                    byte[] cp = Arrays.copyOf(k, idx + delim.length);
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
        return EngineContext.page(items, amount, ListItem::path);
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
}
