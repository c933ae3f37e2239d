package io.tarn.engine;

import io.tarn.engine.model.Change;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeSummary;
import io.tarn.engine.tree.DiffRecord;
import java.util.ArrayList;
import java.util.List;

/** The changes a merge applied to its destination: the first {@link MergeResult#MAX_LISTED} listed, all counted. */
final class MergeChanges {
    private final List<Change> listed = new ArrayList<>();
    private long added;
    private long removed;
    private long changed;
    private long conflict;

    void applied(DiffRecord d, boolean wasConflict) {
        Change c = EngineContext.change(d);
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

    /** A conflict resolved by leaving the destination's entry as it is (counted, nothing applied). */
    void conflictLeftOut() {
        conflict++;
    }

    List<Change> listed() {
        return listed;
    }

    long total() {
        return added + removed + changed;
    }

    MergeSummary summary() {
        return new MergeSummary(added, removed, changed, conflict);
    }
}
