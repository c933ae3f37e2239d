package io.tarn.block;

/**
 * A multipart upload cannot be completed as asked: a listed part is missing, its ETag does not
 * match, the parts are not in ascending order, or the part number is out of range.
 */
public class InvalidPartException extends BlockStoreException {
    public InvalidPartException(String message) {
        super(message);
    }
}
