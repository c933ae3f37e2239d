package io.tarn.engine;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.error.DirtyBranchException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.MergeConflictException;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Merge and revert: three-way merges of committed trees onto a branch with no effective staged changes. */
final class Merges {

    private final EngineContext ctx;

    Merges(EngineContext ctx) {
        this.ctx = ctx;
    }

    MergeResult merge(String repository, String sourceRef, String destinationBranch, MergeRequest request) {
        Repository r = ctx.repo(repository);
        StorageNamespace ns = ctx.ns(r);
        MergeRequest req = request == null ? new MergeRequest(null, null, null, null) : request;
        return ctx.retry.run("branch " + destinationBranch, "merging", () -> {
            MetaStore.StoredBranch d = ctx.branch(repository, destinationBranch);
            // a branch given as source means its head commit: its uncommitted changes are not merged
            Commit source = ctx.refs.resolve(repository, sourceRef).commit();
            Commit dest = ctx.commit(repository, d.record().commitId());
            if (isDirty(ctx, ns, d.record(), dest)) {
                throw new DirtyBranchException(destinationBranch);
            }
            Commit base = ctx.graph.mergeBase(repository, source, dest);
            if (base != null && base.id().equals(source.id())) {
                throw new NothingToMergeException(sourceRef, destinationBranch);
            }
            TreeIndex baseTree = base == null ? TreeIndex.EMPTY : ctx.trees.tree(ns, base.treeId());
            TreeIndex srcTree = ctx.trees.tree(ns, source.treeId());
            TreeIndex dstTree = ctx.trees.tree(ns, dest.treeId());
            MergeChanges collected = new MergeChanges();
            String treeId;
            if (base != null && base.id().equals(dest.id())) {
                ctx.trees.diff(ns, dstTree, srcTree, null).forEachRemaining(x -> collected.applied(x, false));
                treeId = source.treeId();
            } else {
                treeId = threeWay(ns, baseTree, srcTree, dstTree, req.strategy(), collected);
            }
            if (!req.allowEmpty() && collected.total() == 0) {
                throw new NothingToMergeException(sourceRef, destinationBranch);
            }
            String message = req.message() == null || req.message().isEmpty()
                    ? "Merge '" + sourceRef + "' into '" + destinationBranch + "'" : req.message();
            // a squash merge records the destination only: the source's history is not joined
            Commit c = req.squash()
                    ? CommitCodec.create(List.of(dest.id()), req.committer(), message,
                            Instant.now().getEpochSecond(), req.metadata(), treeId, dest.generation() + 1)
                    : CommitCodec.create(List.of(dest.id(), source.id()), req.committer(), message,
                            Instant.now().getEpochSecond(), req.metadata(), treeId,
                            Math.max(dest.generation(), source.generation()) + 1);
            ctx.meta.putCommit(repository, c);
            if (!ctx.finish(repository, destinationBranch, dest.id(), List.of(), c.id())) {
                return Optional.empty();
            }
            return Optional.of(new MergeResult(c, collected.listed(), collected.summary()));
        });
    }

    Commit revert(String repository, String branch, String commitRef, int parentNumber, CommitRequest request) {
        return applyCommit(repository, branch, commitRef, parentNumber, request, true);
    }

    /**
     * Commits onto the branch the changes {@code commitRef} made relative to its {@code parentNumber}-th
     * parent (1-based), by default with that commit's message and metadata.
     */
    Commit cherryPick(String repository, String branch, String commitRef, int parentNumber, CommitRequest request) {
        return applyCommit(repository, branch, commitRef, parentNumber, request, false);
    }

    /**
     * Revert (the inverse of the commit's changes: base = the commit, source = its parent) or
     * cherry-pick (the changes themselves: base = the parent, source = the commit), as a three-way merge
     * onto the head of a branch with no uncommitted changes; any conflict fails before anything is
     * written, and a result that changes nothing is refused unless the request allows it.
     */
    private Commit applyCommit(String repository, String branch, String commitRef, int parentNumber,
                               CommitRequest request, boolean inverse) {
        Repository r = ctx.repo(repository);
        StorageNamespace ns = ctx.ns(r);
        CommitRequest req = request == null ? new CommitRequest(null, null, null, false) : request;
        Commit target = ctx.refs.resolve(repository, commitRef).commit();
        String what = inverse ? "revert" : "cherry-pick";
        if (target.parents().isEmpty()) {
            throw new InvalidArgumentException("commit " + target.id() + " has no parent to " + what + " against");
        }
        if (parentNumber < 1 || parentNumber > target.parents().size()) {
            throw new InvalidArgumentException("parent number " + parentNumber + " out of range: commit has "
                    + target.parents().size() + " parent(s)");
        }
        Commit parent = ctx.commit(repository, target.parents().get(parentNumber - 1));
        return ctx.retry.run("branch " + branch, inverse ? "reverting" : "cherry-picking", () -> {
            MetaStore.StoredBranch b = ctx.branch(repository, branch);
            Commit head = ctx.commit(repository, b.record().commitId());
            if (isDirty(ctx, ns, b.record(), head)) {
                throw new DirtyBranchException(branch);
            }
            TreeIndex targetTree = ctx.trees.tree(ns, target.treeId());
            TreeIndex parentTree = ctx.trees.tree(ns, parent.treeId());
            MergeChanges collected = new MergeChanges();
            String treeId = threeWay(ns, inverse ? targetTree : parentTree, inverse ? parentTree : targetTree,
                    ctx.trees.tree(ns, head.treeId()), MergeStrategy.NONE, collected);
            if (collected.total() == 0 && !req.allowEmpty()) {
                throw new NothingToCommitException(branch);
            }
            String message = req.message() != null && !req.message().isEmpty() ? req.message()
                    : inverse ? "Revert " + target.id() : target.message();
            java.util.Map<String, String> metadata = inverse || !req.metadata().isEmpty()
                    ? req.metadata() : target.metadata();
            Commit c = CommitCodec.create(List.of(head.id()), req.committer(), message,
                    req.creationDate(), metadata, treeId, head.generation() + 1);
            ctx.meta.putCommit(repository, c);
            return ctx.finish(repository, branch, head.id(), List.of(), c.id()) ? Optional.of(c) : Optional.empty();
        });
    }

    /** Whether the branch has staged changes that differ from its head commit. */
    static boolean isDirty(EngineContext ctx, StorageNamespace ns, BranchRecord b, Commit head) {
        TreeIndex tree = ctx.trees.tree(ns, head.treeId());
        try (Staging.Scan scan = ctx.staging.scan(b.readTokens(), null)) {
            while (scan.hasNext()) {
                Record s = scan.next();
                if (!EntryCodec.sameIdentity(ctx.trees.get(ns, tree, s.key()), s.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Three-way merge of the changes base -> source onto dest. With strategy NONE any conflict fails the
     * merge before anything is written. Returns the new tree id.
     */
    private String threeWay(StorageNamespace ns, TreeIndex base, TreeIndex source, TreeIndex dest,
                            MergeStrategy strategy, MergeChanges collected) {
        if (strategy == MergeStrategy.NONE) {
            List<String> paths = new ArrayList<>();
            ThreeWayMerge check = new ThreeWayMerge(ctx.trees, ns, base, source, dest, MergeStrategy.NONE, null);
            while (check.hasNext()) {
                check.next();
            }
            for (byte[] k : check.conflicts()) {
                if (paths.size() < MergeResult.MAX_LISTED) {
                    paths.add(Bytes.string(k));
                }
            }
            long total = check.conflictCount();
            if (total > 0) {
                throw new MergeConflictException(paths, total);
            }
        }
        ThreeWayMerge apply = new ThreeWayMerge(ctx.trees, ns, base, source, dest, strategy, collected);
        return ctx.trees.apply(ns, dest, apply).treeId();
    }
}
