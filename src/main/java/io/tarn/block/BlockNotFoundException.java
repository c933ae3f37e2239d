package io.tarn.block;

/** The object (or multipart upload) does not exist. */
public class BlockNotFoundException extends BlockStoreException {
    public BlockNotFoundException(String message) {
        super(message);
    }
}
