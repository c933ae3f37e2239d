package io.tarn.api.s3.sig;

import io.tarn.api.s3.S3Error;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A plain body with the checks its headers ask for: the signed SHA-256 ({@code x-amz-content-sha256}),
 * {@code Content-MD5}, an {@code x-amz-checksum-*} header, and its length; all checked at its end.
 */
public final class HashedPayload extends CheckedPayload {
    private final InputStream in;
    private final long expectedLength;
    private final List<Expectation> expectations = new ArrayList<>();
    private long count;
    private boolean done;

    /** {@code clientChecksum}: an {@code x-amz-checksum-*} header, whose value is kept once it matched. */
    private record Expectation(Checksums.Running running, byte[] expected, S3Error onMismatch, boolean clientChecksum) {}

    /** @param expectedLength the length the body must have, or -1 */
    public HashedPayload(InputStream in, long expectedLength) {
        this.in = in;
        this.expectedLength = expectedLength;
    }

    /** The body's SHA-256 must be this hex digest (a signed payload). */
    public HashedPayload sha256Hex(String hex) {
        expectations.add(new Expectation(digest("SHA-256"), HexFormat.of().parseHex(hex.toLowerCase()),
                new S3Error(400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed."), false));
        return this;
    }

    /** The body's MD5 must be this base64 value ({@code Content-MD5}). */
    public HashedPayload contentMd5(String base64) {
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        }
        if (expected.length != 16) {
            throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        }
        expectations.add(new Expectation(digest("MD5"), expected,
                new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received."), false));
        return this;
    }

    /**
     * The body's checksum named by {@code headerName} must be the base64 {@code value} (one such
     * checksum a request, as in S3); it is then the body's {@link #checksum()}.
     */
    public HashedPayload checksum(String headerName, String value) {
        Checksums.Running running = Checksums.forHeader(headerName);
        if (running == null) {
            throw new S3Error(400, "InvalidRequest", "unknown checksum header " + headerName);
        }
        if (expectations.stream().anyMatch(Expectation::clientChecksum)) {
            throw new S3Error(400, "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum"
                    + " Types are not allowed.");
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "InvalidRequest", "Value for " + headerName + " header is invalid.");
        }
        expectations.add(new Expectation(running, expected, new S3Error(400, "BadDigest",
                "The " + running.algorithm() + " you specified did not match the calculated checksum."), true));
        return this;
    }

    private static Checksums.Running digest(String jca) {
        if (jca.equals("SHA-256")) {
            return Checksums.forHeader("x-amz-checksum-sha256");
        }
        return Checksums.digest(jca, jca);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (failure() != null) {
            throw new PayloadException(failure());
        }
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
            if (expectedLength >= 0 && count > expectedLength) {
                fail(new S3Error(400, "IncompleteBody", "the body is longer than its declared length"));
            }
            for (Expectation e : expectations) {
                e.running().update(b, off, n);
            }
            if (count == expectedLength) {
                // the last byte: check before handing it out, so a consumer that stops at the
                // declared length (and never asks for the end) still sees the failure
                verify();
            }
            return n;
        }
        if (n < 0) {
            if (expectedLength >= 0 && count != expectedLength) {
                fail(new S3Error(400, "IncompleteBody",
                        "You did not provide the number of bytes specified by the Content-Length HTTP header."));
            }
            verify();
            done = true;
        }
        return n;
    }

    private boolean verified;

    private void verify() throws PayloadException {
        if (verified) {
            return;
        }
        for (Expectation e : expectations) {
            byte[] actual = e.running().value();
            if (!MessageDigest.isEqual(actual, e.expected())) {
                fail(e.onMismatch());
            }
            if (e.clientChecksum()) {
                matched(new Checksums.Value(e.running().algorithm(), actual));
            }
        }
        verified = true;
    }
}
