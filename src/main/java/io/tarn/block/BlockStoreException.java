package io.tarn.block;

/** A block store failed. Subclasses say why; the base class means the backend itself failed. */
public class BlockStoreException extends RuntimeException {
    public BlockStoreException(String message) {
        super(message);
    }

    public BlockStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
