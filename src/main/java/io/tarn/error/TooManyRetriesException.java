package io.tarn.error;

/** A compare-and-set update kept losing to concurrent writers; the caller may try again. */
public final class TooManyRetriesException extends TarnException {
    public TooManyRetriesException(String message) {
        super(message);
    }
}
