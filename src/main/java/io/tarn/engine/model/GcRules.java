package io.tarn.engine.model;

import java.util.List;

/**
 * A repository's garbage-collection rules, as lakeFS defines them: a commit is kept while it is
 * within the retention of a branch it is reachable from (that branch's own days, else the default),
 * and always while it is a branch head or tagged.
 *
 * @param defaultRetentionDays retention of branches without a rule of their own (0 or more)
 * @param branches             per-branch retention, at most one rule per branch
 */
public record GcRules(int defaultRetentionDays, List<BranchRetention> branches) {
    public GcRules {
        branches = branches == null ? List.of() : List.copyOf(branches);
    }

    /** The retention of one branch. */
    public record BranchRetention(String branchId, int retentionDays) {}

    /** The days a commit reachable from {@code branch} is kept after its creation. */
    public int retentionDays(String branch) {
        for (BranchRetention b : branches) {
            if (b.branchId().equals(branch)) {
                return b.retentionDays();
            }
        }
        return defaultRetentionDays;
    }
}
