package io.tarn.error;

/** The operation needs a branch without uncommitted changes. */
public final class DirtyBranchException extends TarnException {
    public DirtyBranchException(String branch) {
        super("branch " + branch + " has uncommitted changes");
    }
}
