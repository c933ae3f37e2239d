package io.tarn.error;

/** The authenticated user's policies do not allow what the request asks (the message says which permission). */
public final class AccessDeniedException extends TarnException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
