package io.tarn.block;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while counting them and computing their MD5.
 *
 * <p>With an expected length ({@code >= 0}) it also enforces it: reaching the end of the
 * underlying stream early throws {@link IncompleteUploadException}, and it never reads past the
 * expected length (it reports end of stream there). As soon as the expected length is reached it
 * checks that the source has nothing more, and throws {@link IncompleteUploadException} if it
 * has, so that a consumer that stops at the expected length (e.g. an HTTP client sending a body
 * of known length) fails before it finishes its request. Call {@link #requireComplete()} after the
 * consumer is done to check that exactly the expected number of bytes went through.
 */
public final class DigestingInputStream extends FilterInputStream {
    private final MessageDigest md5;
    private final long expectedLength;
    private long count;
    private boolean endChecked;
    private byte[] digest;

    /**
     * @param in             the source
     * @param expectedLength the exact number of bytes the source must supply, or {@code -1} for
     *                       "until end of stream"
     */
    public DigestingInputStream(InputStream in, long expectedLength) {
        this(in, expectedLength, true);
    }

    private DigestingInputStream(InputStream in, long expectedLength, boolean digesting) {
        super(in);
        if (expectedLength < -1) {
            throw new IllegalArgumentException("invalid content length " + expectedLength);
        }
        this.expectedLength = expectedLength;
        this.md5 = digesting ? Md5.newDigest() : null;
    }

    /**
     * The same length checks and counting, without the MD5 (for callers that digest the bytes
     * themselves, e.g. with {@link BackgroundMd5}); {@link #md5()} is then unavailable.
     */
    public static DigestingInputStream lengthChecking(InputStream in, long expectedLength) {
        return new DigestingInputStream(in, expectedLength, false);
    }

    @Override
    public int read() throws IOException {
        if (expectedLength >= 0 && count >= expectedLength) {
            checkNothingMore();
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            checkEarlyEnd();
            return -1;
        }
        if (md5 != null) {
            md5.update((byte) b);
        }
        count++;
        if (count == expectedLength) {
            checkNothingMore();
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (expectedLength >= 0) {
            long left = expectedLength - count;
            if (left <= 0) {
                checkNothingMore();
                return -1;
            }
            len = (int) Math.min(len, left);
        }
        int n = in.read(buf, off, len);
        if (n < 0) {
            checkEarlyEnd();
            return -1;
        }
        if (md5 != null) {
            md5.update(buf, off, n);
        }
        count += n;
        if (count == expectedLength) {
            checkNothingMore();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would bypass the digest: read and discard instead.
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        int a = in.available();
        if (expectedLength >= 0) {
            a = (int) Math.min(a, expectedLength - count);
        }
        return Math.max(a, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void checkNothingMore() throws IOException {
        if (!endChecked) {
            endChecked = true;
            if (in.read() >= 0) {
                throw new IncompleteUploadException(
                        "data is longer than the declared " + expectedLength + " bytes", null);
            }
        }
    }

    private void checkEarlyEnd() {
        if (expectedLength >= 0 && count < expectedLength) {
            throw new IncompleteUploadException(
                    "data ended after " + count + " of " + expectedLength + " bytes", null);
        }
    }

    /**
     * Checks that the whole input went through: with an expected length, that exactly that many
     * bytes were read and the source is at its end; without one, that the source is at its end.
     *
     * @throws IncompleteUploadException if not
     * @throws IOException               if reading the source fails
     */
    public void requireComplete() throws IOException {
        if (expectedLength >= 0) {
            if (count < expectedLength) {
                throw new IncompleteUploadException(
                        "data ended after " + count + " of " + expectedLength + " bytes", null);
            }
            checkNothingMore();
        } else if (in.read() >= 0) {
            throw new IncompleteUploadException("data was not read to its end", null);
        }
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** The MD5 of everything read; finishes the digest (call once, after reading). */
    public byte[] md5() {
        if (md5 == null) {
            throw new IllegalStateException("this stream only checks the length");
        }
        if (digest == null) {
            digest = md5.digest();
        }
        return digest.clone();
    }

    /** {@link #md5()} in lowercase hex. */
    public String md5Hex() {
        return Md5.hex(md5());
    }
}
