package io.tarn.error;

/**
 * The request cannot be authenticated for a reason of the server's state rather than of its
 * credentials: today, that no admin exists yet (the installation waits for its setup).
 */
public final class UnauthenticatedException extends TarnException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
