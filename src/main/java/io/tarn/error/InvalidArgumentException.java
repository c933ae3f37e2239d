package io.tarn.error;

/** A name, path, ref, namespace or option that is malformed or not acceptable. */
public final class InvalidArgumentException extends TarnException {
    public InvalidArgumentException(String message) {
        super(message);
    }
}
