package io.tarn.api.s3.sig;

import io.tarn.api.s3.S3Error;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body as a stream, never holding more than a line of framing:
 * {@code <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n} ... a last chunk of size 0, then, for the
 * {@code *-TRAILER} modes, trailing headers ({@code x-amz-checksum-crc32:<base64>\r\n}, and for a
 * signed trailer {@code x-amz-trailer-signature:<sig>\r\n}) and an empty line.
 *
 * <p>With a {@link ChunkSigner} every chunk signature (and the trailer's) is verified when the chunk
 * ends; the checksums named by {@code x-amz-trailer} are computed over the decoded bytes and compared
 * with the trailer; the decoded length is compared with {@code x-amz-decoded-content-length}. Any
 * failure fails the read that finds it, before the end of the body is reported.
 */
public final class AwsChunkedPayload extends CheckedPayload {
    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER_LINES = 32;

    private final InputStream in;
    private final ChunkSigner signer;
    private final boolean signedTrailer;
    private final long decodedLength;
    private final Map<String, Checksums.Running> trailerChecksums = new LinkedHashMap<>();
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final Map<String, String> headerChecksums = new LinkedHashMap<>();
    private MessageDigest chunkHash;
    private String chunkSignature;
    private long remaining;
    private long count;
    private boolean finished;
    private final byte[] one = new byte[1];

    /**
     * @param signer         verifies chunk signatures, or null for unsigned chunks
     * @param signedTrailer  the trailer carries {@code x-amz-trailer-signature} (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)
     * @param trailerNames   the {@code x-amz-trailer} header's names (empty when there is no trailer)
     * @param decodedLength  {@code x-amz-decoded-content-length}, or -1
     */
    public AwsChunkedPayload(InputStream in, ChunkSigner signer, boolean signedTrailer, List<String> trailerNames,
                             long decodedLength) {
        this.in = in;
        this.signer = signer;
        this.signedTrailer = signedTrailer;
        this.decodedLength = decodedLength;
        for (String name : trailerNames) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            Checksums.Running running = Checksums.forHeader(n);
            if (running == null) {
                throw new S3Error(400, "InvalidRequest", "unsupported trailer " + n);
            }
            trailerChecksums.put(n, running);
        }
        if (trailerChecksums.size() > 1) {
            throw new S3Error(400, "InvalidRequest", "Expecting a single x-amz-checksum- trailer. Multiple checksum"
                    + " Types are not allowed.");
        }
        this.remaining = -1;
    }

    /**
     * The decoded body's checksum named by {@code headerName} must be the base64 {@code value}: a
     * checksum sent as a header rather than a trailer (one checksum a request, as in S3).
     */
    public AwsChunkedPayload checksumHeader(String headerName, String value) {
        String n = headerName.toLowerCase(Locale.ROOT);
        Checksums.Running running = Checksums.forHeader(n);
        if (running == null) {
            throw new S3Error(400, "InvalidRequest", "unknown checksum header " + headerName);
        }
        if (!trailerChecksums.isEmpty()) {
            throw new S3Error(400, "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum"
                    + " Types are not allowed.");
        }
        trailerChecksums.put(n, running);
        headerChecksums.put(n, value.trim());
        return this;
    }

    /** The trailing headers received (once the body was read to its end). */
    public Map<String, String> trailers() {
        return Map.copyOf(trailers);
    }

    /** The decoded length of an aws-chunked body: {@code x-amz-decoded-content-length}, or -1 when absent. */
    public static long decodedLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long v = Long.parseLong(header.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new S3Error(400, "InvalidArgument", "x-amz-decoded-content-length must be a number of bytes");
        }
    }

    /** The names listed by an {@code x-amz-trailer} header. */
    public static List<String> trailerNames(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            for (String n : header.split(",")) {
                if (!n.isBlank()) {
                    out.add(n.trim());
                }
            }
        }
        return out;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure() != null) {
            throw new PayloadException(failure());
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (finished) {
                return -1;
            }
            if (remaining > 0) {
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    fail(incomplete("the body ended inside a chunk"));
                }
                remaining -= n;
                count += n;
                if (decodedLength >= 0 && count > decodedLength) {
                    fail(incomplete("the chunks hold more than x-amz-decoded-content-length bytes"));
                }
                if (chunkHash != null) {
                    chunkHash.update(b, off, n);
                }
                for (Checksums.Running r : trailerChecksums.values()) {
                    r.update(b, off, n);
                }
                if (remaining == 0) {
                    endOfChunk();
                    if (count == decodedLength) {
                        // the last byte: read the last chunk and the trailer now, so a consumer that
                        // stops at the declared length still sees every check
                        startChunk();
                    }
                }
                return n;
            }
            startChunk();
        }
    }

    /** After a chunk's data: its CRLF, then its signature. */
    private void endOfChunk() throws IOException {
        String rest = readLine();
        if (rest == null || !rest.isEmpty()) {
            fail(incomplete("a chunk's data is not followed by CRLF"));
        }
        verifyChunk(chunkHash == null ? null : Hashing.hex(chunkHash.digest()));
        remaining = -1;
    }

    private void verifyChunk(String dataHash) throws PayloadException {
        if (signer == null) {
            return;
        }
        if (chunkSignature == null) {
            fail(new S3Error(403, "SignatureDoesNotMatch", "a chunk carries no chunk-signature"));
        }
        String expected = signer.nextChunk(dataHash);
        if (!Hashing.same(expected, chunkSignature)) {
            fail(new S3Error(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided (chunk signature)."));
        }
    }

    private void startChunk() throws IOException {
        String line = readLine();
        if (line == null) {
            fail(incomplete("the body ended before its last chunk"));
        }
        int semi = line.indexOf(';');
        String size = (semi < 0 ? line : line.substring(0, semi)).trim();
        chunkSignature = null;
        if (semi >= 0) {
            for (String ext : line.substring(semi + 1).split(";")) {
                String e = ext.trim();
                if (e.startsWith("chunk-signature=")) {
                    chunkSignature = e.substring("chunk-signature=".length()).trim();
                }
            }
        }
        long n;
        try {
            n = size.isEmpty() || size.length() > 15 ? -1 : Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            fail(incomplete("malformed chunk header"));
        }
        if (n == 0) {
            verifyChunk(signer == null ? null : Hashing.EMPTY_SHA256);
            readTrailer();
            finish();
            return;
        }
        remaining = n;
        chunkHash = signer == null ? null : Hashing.sha256();
    }

    /** The trailing headers up to the empty line (or the end of the body). */
    private void readTrailer() throws IOException {
        String trailerSignature = null;
        StringBuilder canonical = new StringBuilder();
        for (int i = 0; i <= MAX_TRAILER_LINES; i++) {
            String line = readLine();
            if (line == null || line.isEmpty()) {
                break;
            }
            if (i == MAX_TRAILER_LINES) {
                fail(incomplete("too many trailing headers"));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                fail(incomplete("malformed trailing header"));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("x-amz-trailer-signature")) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                canonical.append(name).append(':').append(value).append('\n');
            }
        }
        if (signer != null && signedTrailer) {
            String expected = signer.trailer(Hashing.sha256Hex(canonical.toString()));
            if (!Hashing.same(expected, trailerSignature)) {
                fail(new S3Error(403, "SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you provided (trailer)."));
            }
        }
    }

    private void finish() throws PayloadException {
        if (decodedLength >= 0 && count != decodedLength) {
            fail(incomplete("the chunks hold " + count + " bytes, not x-amz-decoded-content-length " + decodedLength));
        }
        for (Map.Entry<String, Checksums.Running> e : trailerChecksums.entrySet()) {
            String sent = headerChecksums.containsKey(e.getKey()) ? headerChecksums.get(e.getKey())
                    : trailers.get(e.getKey());
            if (sent == null) {
                fail(new S3Error(400, "InvalidRequest", "the trailer " + e.getKey() + " announced in x-amz-trailer is missing"));
            }
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(sent);
            } catch (IllegalArgumentException bad) {
                expected = new byte[0];
            }
            byte[] actual = e.getValue().value();
            if (!MessageDigest.isEqual(actual, expected)) {
                fail(new S3Error(400, "BadDigest", "The " + e.getValue().algorithm()
                        + " you specified did not match the calculated checksum."));
            }
            matched(new Checksums.Value(e.getValue().algorithm(), actual));
        }
        finished = true;
    }

    /** A CRLF-terminated line (a bare LF is accepted), without its end; null at the end of the body. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(80);
        while (true) {
            int n = in.read(one, 0, 1);
            if (n < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (n == 0) {
                continue;
            }
            char c = (char) (one[0] & 0xff);
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                fail(incomplete("a chunk header or trailer line is too long"));
            }
            line.append(c);
        }
    }

    private static S3Error incomplete(String message) {
        return new S3Error(400, "IncompleteBody", "aws-chunked body: " + message);
    }
}
