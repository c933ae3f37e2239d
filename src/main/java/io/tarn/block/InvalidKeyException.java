package io.tarn.block;

/** An object key that is empty, absolute, or contains '.', '..' segments or NUL bytes. */
public class InvalidKeyException extends BlockStoreException {
    public InvalidKeyException(String message) {
        super(message);
    }
}
