package io.tarn.error;

/** A commit with no changes that was not explicitly allowed to be empty. */
public final class NothingToCommitException extends TarnException {
    public NothingToCommitException(String branch) {
        super("no changes to commit on branch " + branch);
    }
}
