package io.tarn.api.s3.sig;

import io.tarn.api.s3.S3Error;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that checks itself while it is read, and fails its last read (before the end is
 * reported) when the check fails: whatever consumes it (an upload) then fails instead of storing
 * the bytes. {@link #failure()} tells what went wrong, for the S3 answer.
 */
public abstract class CheckedPayload extends InputStream {
    private S3Error failure;
    private Checksums.Value checksum;

    /**
     * The client's checksum of the body ({@code x-amz-checksum-*} header or trailer) once it was read
     * to its end and found to match; null when the client sent none (or the body is not read yet).
     */
    public Checksums.Value checksum() {
        return failure == null ? checksum : null;
    }

    /** Records the client's checksum, found to match. */
    protected final void matched(Checksums.Value value) {
        checksum = value;
    }

    /** The check that failed, or null. */
    public S3Error failure() {
        return failure;
    }

    /** Records and throws. */
    protected final PayloadException fail(S3Error error) throws PayloadException {
        if (failure == null) {
            failure = error;
        }
        throw new PayloadException(failure);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
