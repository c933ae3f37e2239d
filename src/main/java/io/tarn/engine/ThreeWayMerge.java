package io.tarn.engine;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.tree.CommittedTrees;
import io.tarn.engine.tree.DiffRecord;
import io.tarn.engine.tree.Peeking;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.util.LookAheadIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * The change stream of a three-way merge: what to apply to dest, in key order. A path changed the
 * same way on both sides is no change; changed differently it is a conflict, which SOURCE_WINS resolves
 * with the source's entry and any other strategy leaves out (counted).
 */
final class ThreeWayMerge extends LookAheadIterator<Record> {
    private final Peeking<DiffRecord> s;
    private final Peeking<DiffRecord> d;
    private final MergeStrategy strategy;
    private final MergeChanges collected;
    private final List<byte[]> conflicts = new ArrayList<>();
    private long conflictCount;

    /** @param collected where applied changes are recorded, or {@code null} */
    ThreeWayMerge(CommittedTrees trees, StorageNamespace ns, TreeIndex base, TreeIndex source, TreeIndex dest,
                  MergeStrategy strategy, MergeChanges collected) {
        this.s = new Peeking<>(trees.diff(ns, base, source, null));
        this.d = new Peeking<>(trees.diff(ns, base, dest, null));
        this.strategy = strategy;
        this.collected = collected;
    }

    /** The first {@link MergeResult#MAX_LISTED} conflicting keys seen so far. */
    List<byte[]> conflicts() {
        return conflicts;
    }

    /** How many conflicts were seen so far. */
    long conflictCount() {
        return conflictCount;
    }

    @Override
    protected Record computeNext() {
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
                    collected.conflictLeftOut();
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
}
