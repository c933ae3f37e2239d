package io.tarn.engine.refs;

import io.tarn.engine.model.Commit;

/**
 * What a ref designates: a commit, and for a bare branch name also the branch's staged changes.
 *
 * @param branchName the branch when the ref is a bare branch name (reads include its staged changes),
 *                   otherwise {@code null}
 * @param branch     that branch's record, or {@code null}
 */
public record ResolvedRef(Commit commit, String branchName, BranchRecord branch) {
    public boolean hasStaging() {
        return branch != null;
    }
}
