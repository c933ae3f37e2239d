package io.tarn.api.s3.sig;

import io.tarn.api.s3.S3Error;
import java.io.IOException;

/** A request body that failed its check (a hash, a chunk signature, a checksum, its framing): the S3 error to answer. */
public final class PayloadException extends IOException {
    private final S3Error error;

    public PayloadException(S3Error error) {
        super(error.getMessage(), null);
        this.error = error;
    }

    public S3Error error() {
        return error;
    }
}
