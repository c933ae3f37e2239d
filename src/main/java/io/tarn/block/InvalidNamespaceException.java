package io.tarn.block;

/** A storage namespace that is malformed, of the wrong type for this store, or escapes its root. */
public class InvalidNamespaceException extends BlockStoreException {
    public InvalidNamespaceException(String message) {
        super(message);
    }
}
