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
import io.tarn.engine.refs.ResolvedRef;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.DiffRecord;
import io.tarn.engine.tree.Peeking;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.util.LookAheadIterator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** Differences: a branch's staged changes ({@code diffBranch}) and between two refs ({@code diffRefs}). */
final class Changes {

    private final EngineContext ctx;

    Changes(EngineContext ctx) {
        this.ctx = ctx;
    }

    Page<Change> diffBranch(String repository, String branch, String after, int amount) {
        Repository r = ctx.repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ctx.ns(r);
        BranchRecord b = ctx.branch(repository, branch).record();
        TreeIndex tree = ctx.trees.tree(ns, ctx.commit(repository, b.commitId()).treeId());
        List<Change> out = new ArrayList<>();
        byte[] from = after == null || after.isEmpty() ? null : Bytes.successor(Bytes.utf8(after));
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

    Page<Change> diffRefs(String repository, String leftRef, String rightRef, DiffType type, String after, int amount) {
        Repository r = ctx.repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ctx.ns(r);
        ResolvedRef left = ctx.refs.resolve(repository, leftRef);
        ResolvedRef right = ctx.refs.resolve(repository, rightRef);
        ResolvedRef before;
        if (type == DiffType.TWO_DOT) {
            before = right;
        } else {
            Commit base = ctx.graph.mergeBase(repository, left.commit(), right.commit());
            before = base == null ? null : new ResolvedRef(base, null, null);
        }
        byte[] afterKey = after == null || after.isEmpty() ? null : Bytes.utf8(after);
        List<Change> out = new ArrayList<>();
        try (DiffStream ds = diffStream(ns, before, left, afterKey)) {
            while (ds.hasNext() && out.size() <= amount) {
                out.add(EngineContext.change(ds.next()));
            }
        }
        return EngineContext.page(out, amount, Change::path);
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
        TreeIndex beforeTree = before == null ? TreeIndex.EMPTY : ctx.trees.tree(ns, before.commit().treeId());
        TreeIndex afterTree = ctx.trees.tree(ns, after.commit().treeId());
        Iterator<DiffRecord> treeDiff = ctx.trees.diff(ns, beforeTree, afterTree, afterKey);
        boolean overlay = (before != null && before.hasStaging()) || after.hasStaging();
        if (!overlay) {
            return new CommittedDiff(treeDiff);
        }
        byte[] from = afterKey == null ? null : Bytes.successor(afterKey);
        List<Staging.Scan> scans = new ArrayList<>();
        List<Peeking<byte[]>> keys = new ArrayList<>();
        keys.add(new Peeking<>(map(treeDiff, DiffRecord::key)));
        for (ResolvedRef side : new ResolvedRef[] {before, after}) {
            if (side != null && side.hasStaging()) {
                Staging.Scan s = ctx.staging.scan(side.branch().readTokens(), from);
                scans.add(s);
                keys.add(new Peeking<>(map(s, Record::key)));
            }
        }
        return new StagedDiff(ns, before, after, keys, scans);
    }

    /** The tree diff between two commits as it is (nothing to close). */
    private record CommittedDiff(Iterator<DiffRecord> treeDiff) implements DiffStream {
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
    }

    /** Candidate paths (merged, each once) compared through point lookups on both sides. */
    private final class StagedDiff extends LookAheadIterator<DiffRecord> implements DiffStream {
        private final StorageNamespace ns;
        private final ResolvedRef before;
        private final ResolvedRef after;
        private final List<Peeking<byte[]>> keys;
        private final List<Staging.Scan> scans;

        StagedDiff(StorageNamespace ns, ResolvedRef before, ResolvedRef after, List<Peeking<byte[]>> keys,
                   List<Staging.Scan> scans) {
            this.ns = ns;
            this.before = before;
            this.after = after;
            this.keys = keys;
            this.scans = scans;
        }

        @Override
        protected DiffRecord computeNext() {
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
                byte[] vb = before == null ? null : ctx.lookup(ns, before, min);
                byte[] va = ctx.lookup(ns, after, min);
                if (!EntryCodec.sameIdentity(vb, va)) {
                    return new DiffRecord(min, vb, va);
                }
            }
        }

        @Override
        public void close() {
            scans.forEach(Staging.Scan::close);
        }
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
}
