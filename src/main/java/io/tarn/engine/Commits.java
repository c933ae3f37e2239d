package io.tarn.engine;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NothingToCommitException;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.LogFilter;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.TreeDiff;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.engine.tree.TreeWriter;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.error.DirtyBranchException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Commits: committing a branch's staged changes, reading commits and history, resetting staged changes. */
final class Commits {

    private final EngineContext ctx;

    Commits(EngineContext ctx) {
        this.ctx = ctx;
    }

    Commit commit(String repository, String branch, CommitRequest request) {
        Repository r = ctx.repo(repository);
        StorageNamespace ns = ctx.ns(r);
        CommitRequest req = request == null ? new CommitRequest("", "", Map.of(), false) : request;
        return ctx.retry.run("branch " + branch, "committing", () -> {
            MetaStore.StoredBranch b = ctx.branch(repository, branch);
            BranchRecord rec = b.record();
            if (rec.sealedTokens().isEmpty() && !req.allowEmpty() && !ctx.staging.hasAny(rec.stagingToken())) {
                throw new NothingToCommitException(branch);
            }
            List<String> ours = new ArrayList<>(rec.readTokens());
            BranchRecord sealed = new BranchRecord(rec.commitId(), Staging.newToken(), ours);
            if (!ctx.meta.sealBranch(repository, branch, b.raw(), sealed)) {
                return Optional.empty();
            }
            Commit parent = ctx.commit(repository, rec.commitId());
            TreeWriter.Result result;
            try (Staging.Scan changes = ctx.staging.scan(ours, null)) {
                result = ctx.trees.apply(ns, parent.treeId(), changes);
            }
            if (result.changed() == 0 && !req.allowEmpty()) {
                if (ctx.finish(repository, branch, parent.id(), ours, null)) {
                    throw new NothingToCommitException(branch);
                }
                return Optional.empty();
            }
            Commit c = CommitCodec.create(List.of(parent.id()), req.committer(), req.message(),
                    req.creationDate(), req.metadata(), result.treeId(), parent.generation() + 1);
            ctx.meta.putCommit(repository, c);
            return ctx.finish(repository, branch, parent.id(), ours, c.id()) ? Optional.of(c) : Optional.empty();
        });
    }

    Commit get(String repository, String ref) {
        ctx.repo(repository);
        return ctx.refs.resolve(repository, ref).commit();
    }

    Page<Commit> log(String repository, String ref, LogFilter filter, String after, int amount) {
        Repository r = ctx.repo(repository);
        amount = Names.amount(amount);
        LogFilter f = filter == null ? LogFilter.ALL : filter;
        List<byte[]> objects = f.objects().stream().map(Names::path).toList();
        List<byte[]> prefixes = f.prefixes().stream().map(p -> Bytes.utf8(p == null ? "" : p)).toList();
        Commit head = ctx.refs.resolve(repository, ref).commit();
        Iterator<Commit> it = ctx.graph.history(repository, head, f.firstParentOnly());
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
        StorageNamespace ns = f.byPaths() ? ctx.ns(r) : null;
        List<Commit> out = new ArrayList<>();
        while (it.hasNext() && out.size() <= amount) {
            Commit c = it.next();
            if (!f.byPaths() || touches(repository, ns, c, objects, prefixes)) {
                out.add(c);
            }
        }
        return EngineContext.page(out, amount, Commit::id);
    }

    /**
     * Whether a commit changed one of {@code objects} or something under one of {@code prefixes},
     * compared with its first parent: point reads for objects, and for prefixes a tree diff that
     * starts at the prefix (unchanged ranges skipped unread) and stops at its first record.
     */
    private boolean touches(String repository, StorageNamespace ns, Commit c, List<byte[]> objects,
                            List<byte[]> prefixes) {
        String parentTree = c.parents().isEmpty() ? TreeIndex.EMPTY_ID
                : ctx.commit(repository, c.parents().get(0)).treeId();
        if (parentTree.equals(c.treeId())) {
            return false;
        }
        TreeIndex mine = ctx.trees.tree(ns, c.treeId());
        TreeIndex parent = c.parents().isEmpty() ? TreeIndex.EMPTY : ctx.trees.tree(ns, parentTree);
        for (byte[] key : objects) {
            if (!EntryCodec.sameIdentity(ctx.trees.get(ns, mine, key), ctx.trees.get(ns, parent, key))) {
                return true;
            }
        }
        for (byte[] prefix : prefixes) {
            // the diff reports keys after the prefix itself: a key equal to it is read on its own
            if (prefix.length > 0
                    && !EntryCodec.sameIdentity(ctx.trees.get(ns, mine, prefix), ctx.trees.get(ns, parent, prefix))) {
                return true;
            }
            TreeDiff diff = ctx.trees.diff(ns, parent, mine, prefix.length == 0 ? null : prefix);
            if (diff.hasNext() && Bytes.startsWith(diff.next().key(), prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Points the branch at the commit {@code ref} designates, keeping nothing of its former head; the
     * branch must have no uncommitted changes (they would silently apply to another tree).
     */
    Commit hardReset(String repository, String branch, String ref) {
        Repository r = ctx.repo(repository);
        StorageNamespace ns = ctx.ns(r);
        Commit target = ctx.refs.resolve(repository, ref).commit();
        return ctx.retry.run("branch " + branch, "hard-resetting", () -> {
            MetaStore.StoredBranch b = ctx.branch(repository, branch);
            Commit head = ctx.commit(repository, b.record().commitId());
            if (Merges.isDirty(ctx, ns, b.record(), head)) {
                throw new DirtyBranchException(branch);
            }
            BranchRecord moved = new BranchRecord(target.id(), Staging.newToken(), List.of());
            if (!ctx.meta.casBranch(repository, branch, b.raw(), moved)) {
                return Optional.empty();
            }
            ctx.dropStaging(b.record());
            return Optional.of(target);
        });
    }

    void reset(String repository, String branch, ResetScope scope) {
        ctx.repo(repository);
        if (scope == null) {
            throw new InvalidArgumentException("reset scope is missing");
        }
        switch (scope) {
            case ResetScope.All all -> {
                ctx.retry.runUntilDone("branch " + branch, "resetting", () -> {
                    MetaStore.StoredBranch b = ctx.branch(repository, branch);
                    BranchRecord fresh = new BranchRecord(b.record().commitId(), Staging.newToken(), List.of());
                    if (!ctx.meta.casBranch(repository, branch, b.raw(), fresh)) {
                        return false;
                    }
                    ctx.dropStaging(b.record());
                    return true;
                });
            }
            case ResetScope.Path p -> {
                byte[] key = Names.path(p.path());
                for (String t : ctx.branch(repository, branch).record().readTokens()) {
                    ctx.staging.delete(t, key);
                }
            }
            case ResetScope.Prefix p -> {
                byte[] pre = Bytes.utf8(p.prefix() == null ? "" : p.prefix());
                for (String t : ctx.branch(repository, branch).record().readTokens()) {
                    ctx.staging.deletePrefix(t, pre);
                }
            }
        }
    }
}
