package io.tarn.engine.model;

import java.util.List;

/**
 * A completed merge.
 *
 * @param commit  the merge commit (always two parents: destination head, then source)
 * @param changes the changes applied to the destination, at most {@link #MAX_LISTED} of them; the
 *                summary has the totals
 */
public record MergeResult(Commit commit, List<Change> changes, MergeSummary summary) {
    public static final int MAX_LISTED = 1000;
}
