package io.tarn.error;

/**
 * A domain error of the versioning engine: the request cannot be done as asked. The API layers map
 * each subclass to one status in one place; anything that is not a {@code TarnException} is a server
 * failure.
 */
public abstract sealed class TarnException extends RuntimeException
        permits NotFoundException, AlreadyExistsException, InvalidArgumentException, MergeConflictException,
        NothingToCommitException, NothingToMergeException, DirtyBranchException, AmbiguousRefException,
        DefaultBranchException, TooManyRetriesException, UnauthenticatedException, AccessDeniedException {

    protected TarnException(String message) {
        super(message, null, false, false);
    }
}
