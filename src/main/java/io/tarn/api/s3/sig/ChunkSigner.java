package io.tarn.api.s3.sig;

/**
 * The chained signatures of an {@code aws-chunked} body: each chunk's signature signs its data's
 * SHA-256 and the previous signature (the first chunk chains from the request's seed signature);
 * a signed trailer chains from the last chunk's.
 */
public final class ChunkSigner {
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private String previous;

    ChunkSigner(byte[] signingKey, String amzDate, String scope, String seedSignature) {
        this.signingKey = signingKey;
        this.amzDate = amzDate;
        this.scope = scope;
        this.previous = seedSignature;
    }

    /** The signature the next chunk must carry, given its data's SHA-256 hex; advances the chain. */
    String nextChunk(String chunkSha256Hex) {
        String toSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + '\n' + scope + '\n' + previous + '\n'
                + Hashing.EMPTY_SHA256 + '\n' + chunkSha256Hex;
        previous = SigV4.sign(signingKey, toSign);
        return previous;
    }

    /** The signature of the trailer, given the SHA-256 hex of its canonical form ({@code name:value\n} each). */
    String trailer(String trailerSha256Hex) {
        String toSign = "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + '\n' + scope + '\n' + previous + '\n'
                + trailerSha256Hex;
        previous = SigV4.sign(signingKey, toSign);
        return previous;
    }
}
