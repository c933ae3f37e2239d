package io.tarn.engine.codec;

/** Stored metadata could not be decoded: a server-side failure, never a client's mistake. */
public final class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }
}
