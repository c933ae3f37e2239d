package io.tarn.engine;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.Names;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.DiffRecord;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeIndex;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Differences: a branch's uncommitted changes ({@code diffBranch}) and between the commits of two refs
 * ({@code diffRefs}).
 */
final class Changes {

    private final EngineContext ctx;

    Changes(EngineContext ctx) {
        this.ctx = ctx;
    }

    Page<Change> diffBranch(String repository, String branch, String after, int amount) {
        Repository r = ctx.repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ctx.ns(r);
        byte[] from = after == null || after.isEmpty() ? null : Bytes.successor(Bytes.utf8(after));
        int n = amount;
        // settled: a commit finishing during the scan drops the tokens it read from
        return ctx.settled(repository, branch, ctx.branch(repository, branch),
                seen -> uncommitted(repository, ns, seen.record(), from, n));
    }

    private Page<Change> uncommitted(String repository, StorageNamespace ns, BranchRecord b, byte[] from, int amount) {
        TreeIndex tree = ctx.trees.tree(ns, ctx.commit(repository, b.commitId()).treeId());
        List<Change> out = new ArrayList<>();
        try (Staging.Scan scan = ctx.staging.scan(b.readTokens(), from)) {
            while (scan.hasNext() && out.size() <= amount) {
                Record s = scan.next();
                byte[] committed = ctx.trees.get(ns, tree, s.key());
                if (!EntryCodec.sameIdentity(committed, s.value())) {
                    out.add(EngineContext.change(new DiffRecord(s.key(), committed, s.value())));
                }
            }
        }
        return EngineContext.page(out, amount, Change::path);
    }

    /** The merge base of the commits two refs designate (a branch: its head commit), if they share history. */
    java.util.Optional<Commit> mergeBase(String repository, String leftRef, String rightRef) {
        ctx.repo(repository);
        Commit left = ctx.refs.resolve(repository, leftRef).commit();
        Commit right = ctx.refs.resolve(repository, rightRef).commit();
        return java.util.Optional.ofNullable(ctx.graph.mergeBase(repository, left, right));
    }

    /**
     * Differences between the commits two refs designate: a bare branch name means its head commit here
     * (its uncommitted changes show in {@link #diffBranch} only), so this is always the range-skipping
     * tree diff.
     */
    Page<Change> diffRefs(String repository, String leftRef, String rightRef, DiffType type, String after, int amount) {
        Repository r = ctx.repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ctx.ns(r);
        Commit left = ctx.refs.resolve(repository, leftRef).commit();
        Commit right = ctx.refs.resolve(repository, rightRef).commit();
        Commit before = type == DiffType.TWO_DOT ? right : ctx.graph.mergeBase(repository, left, right);
        TreeIndex beforeTree = before == null ? TreeIndex.EMPTY : ctx.trees.tree(ns, before.treeId());
        TreeIndex leftTree = ctx.trees.tree(ns, left.treeId());
        byte[] afterKey = after == null || after.isEmpty() ? null : Bytes.utf8(after);
        Iterator<DiffRecord> diff = ctx.trees.diff(ns, beforeTree, leftTree, afterKey);
        List<Change> out = new ArrayList<>();
        while (diff.hasNext() && out.size() <= amount) {
            out.add(EngineContext.change(diff.next()));
        }
        return EngineContext.page(out, amount, Change::path);
    }
}
