package io.tarn.block;

/** The data stream ended (or failed) before the declared length was read; nothing was written. */
public class IncompleteUploadException extends BlockStoreException {
    public IncompleteUploadException(String message, Throwable cause) {
        super(message, cause);
    }
}
