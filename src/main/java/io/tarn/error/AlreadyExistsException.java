package io.tarn.error;

/** A repository, branch, tag (or storage namespace in use) already exists. */
public final class AlreadyExistsException extends TarnException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
