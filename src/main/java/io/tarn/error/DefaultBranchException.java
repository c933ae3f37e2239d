package io.tarn.error;

/** The default branch of a repository cannot be deleted. */
public final class DefaultBranchException extends TarnException {
    public DefaultBranchException(String branch) {
        super("cannot delete the default branch " + branch);
    }
}
