package io.tarn.api.s3.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.engine.model.ContentChecksum;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Bodies that check themselves: aws-chunked (AWS's published signed example, trailers) and plain hashed bodies. */
class PayloadTest {
    private static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private static final String[] CHUNK_SIGNATURES = {
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};

    /** The chunk signer of AWS's example upload (seed signature verified by SigV4Test). */
    private static ChunkSigner exampleSigner() {
        return new ChunkSigner(SigV4.signingKey(SigV4Test.S3_SECRET, "20130524", "us-east-1", "s3"),
                "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", SEED);
    }

    private static byte[] exampleBody(boolean corrupt) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] sizes = {65536, 1024, 0};
        for (int i = 0; i < 3; i++) {
            body.writeBytes((Integer.toHexString(sizes[i]) + ";chunk-signature=" + CHUNK_SIGNATURES[i] + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] data = "a".repeat(sizes[i]).getBytes(StandardCharsets.US_ASCII);
            if (corrupt && i == 1) {
                data[10] = 'b';
            }
            body.writeBytes(data);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return body.toByteArray();
    }

    /** Reads in small odd-sized pieces, as a consumer may. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void theSignedChunkedExampleDecodes() throws IOException {
        byte[] body = exampleBody(false);
        assertThat(body).hasSize(66824); // the example's Content-Length
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(body), exampleSigner(), false, List.of(), 66560);
        assertThat(readAll(in)).isEqualTo("a".repeat(66560).getBytes(StandardCharsets.US_ASCII));
        assertThat(in.failure()).isNull();
    }

    @Test
    void aChangedChunkFailsItsSignature() {
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(exampleBody(true)), exampleSigner(), false,
                List.of(), 66560);
        assertThatThrownBy(() -> readAll(in)).isInstanceOf(PayloadException.class);
        assertThat(in.failure().code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void theLastByteIsNotHandedOutBeforeTheLastCheck() throws IOException {
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(exampleBody(true)), exampleSigner(), false,
                List.of(), 66560);
        byte[] first = in.readNBytes(65536);
        assertThat(first).hasSize(65536);
        assertThatThrownBy(() -> in.readNBytes(1024)).isInstanceOf(PayloadException.class);
    }

    @Test
    void aWrongDecodedLengthIsAnIncompleteBody() {
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(exampleBody(false)), exampleSigner(), false,
                List.of(), 66561);
        assertThatThrownBy(() -> readAll(in)).isInstanceOf(PayloadException.class);
        assertThat(in.failure().code()).isEqualTo("IncompleteBody");
    }

    private static byte[] unsignedTrailerBody(byte[] data, int chunk, String trailer) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += chunk) {
            int n = Math.min(chunk, data.length - at);
            body.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(data, at, n);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("0\r\n" + trailer + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
            (byte) v});
    }

    @Test
    void anUnsignedBodyWithATrailingChecksum() throws IOException {
        byte[] data = new byte[200_000];
        new java.util.Random(7).nextBytes(data);
        byte[] body = unsignedTrailerBody(data, 65536, "x-amz-checksum-crc32:" + crc32(data));
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(body), null, false,
                List.of("x-amz-checksum-crc32"), data.length);
        assertThat(readAll(in)).isEqualTo(data);
        assertThat(in.trailers()).containsEntry("x-amz-checksum-crc32", crc32(data));
    }

    @Test
    void aWrongTrailingChecksumIsABadDigest() {
        byte[] data = "hello, trailer".getBytes(StandardCharsets.US_ASCII);
        byte[] body = unsignedTrailerBody(data, 4, "x-amz-checksum-crc32:" + crc32("other".getBytes()));
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(body), null, false,
                List.of("x-amz-checksum-crc32"), data.length);
        assertThatThrownBy(() -> readAll(in)).isInstanceOf(PayloadException.class);
        assertThat(in.failure().code()).isEqualTo("BadDigest");
    }

    @Test
    void aChunkedBodyWithItsChecksumInAHeaderIsChecked() throws IOException {
        byte[] data = "checksum in a header, chunks unsigned".getBytes(StandardCharsets.US_ASCII);
        byte[] body = unsignedTrailerBody(data, 8, "");
        AwsChunkedPayload ok = new AwsChunkedPayload(new ByteArrayInputStream(body), null, false, List.of(), data.length)
                .checksumHeader("x-amz-checksum-crc32", crc32(data));
        assertThat(readAll(ok)).isEqualTo(data);
        assertThat(ok.checksum().base64()).isEqualTo(crc32(data));
        AwsChunkedPayload bad = new AwsChunkedPayload(new ByteArrayInputStream(body), null, false, List.of(), data.length)
                .checksumHeader("x-amz-checksum-crc32", crc32("other".getBytes()));
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(PayloadException.class);
        assertThat(bad.failure().code()).isEqualTo("BadDigest");
        assertThat(bad.checksum()).isNull();
    }

    @Test
    void aMissingAnnouncedTrailerFails() {
        byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
        byte[] body = "1\r\nx\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(body), null, false,
                List.of("x-amz-checksum-crc32"), data.length);
        assertThatThrownBy(() -> readAll(in)).isInstanceOf(PayloadException.class);
        assertThat(in.failure().code()).isEqualTo("InvalidRequest");
    }

    @Test
    void aSignedTrailerIsVerified() throws IOException {
        byte[] data = "signed with a trailer".getBytes(StandardCharsets.US_ASCII);
        byte[] key = SigV4.signingKey(SigV4Test.S3_SECRET, "20130524", "us-east-1", "s3");
        ChunkSigner signing = new ChunkSigner(key, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", SEED);
        String chunk = signing.nextChunk(Hashing.hex(Hashing.sha256(data)));
        String last = signing.nextChunk(Hashing.EMPTY_SHA256);
        String trailer = "x-amz-checksum-crc32:" + crc32(data);
        String trailerSig = signing.trailer(Hashing.sha256Hex(trailer + "\n"));
        String body = Integer.toHexString(data.length) + ";chunk-signature=" + chunk + "\r\n"
                + new String(data, StandardCharsets.US_ASCII) + "\r\n0;chunk-signature=" + last + "\r\n"
                + trailer + "\r\nx-amz-trailer-signature:" + trailerSig + "\r\n\r\n";
        ChunkSigner verifying = new ChunkSigner(key, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", SEED);
        AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)),
                verifying, true, List.of("x-amz-checksum-crc32"), data.length);
        assertThat(readAll(in)).isEqualTo(data);
        assertThat(in.checksum().algorithm()).isEqualTo("CRC32");
        assertThat(in.checksum().base64()).isEqualTo(crc32(data));

        String forged = body.replace("x-amz-trailer-signature:" + trailerSig, "x-amz-trailer-signature:" + "0".repeat(64));
        AwsChunkedPayload bad = new AwsChunkedPayload(new ByteArrayInputStream(forged.getBytes(StandardCharsets.US_ASCII)),
                new ChunkSigner(key, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", SEED), true,
                List.of("x-amz-checksum-crc32"), data.length);
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(PayloadException.class);
        assertThat(bad.failure().code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void malformedFramingIsAnIncompleteBody() {
        for (String body : List.of("zz\r\nabc\r\n0\r\n\r\n", "5\r\nab", "3\r\nabcXX0\r\n\r\n", "")) {
            AwsChunkedPayload in = new AwsChunkedPayload(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)),
                    null, false, List.of(), -1);
            assertThatThrownBy(() -> readAll(in)).as(body).isInstanceOf(PayloadException.class);
            assertThat(in.failure().code()).isEqualTo("IncompleteBody");
        }
    }

    @Test
    void aSignedSha256IsCheckedAtTheLastByte() throws IOException {
        byte[] data = "Welcome to Amazon S3.".getBytes(StandardCharsets.US_ASCII);
        String sha = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
        assertThat(readAll(new HashedPayload(new ByteArrayInputStream(data), data.length).sha256Hex(sha))).isEqualTo(data);
        HashedPayload wrong = new HashedPayload(new ByteArrayInputStream("Welcome to Amazon S4.".getBytes()), data.length)
                .sha256Hex(sha);
        assertThatThrownBy(() -> wrong.readNBytes(data.length)).isInstanceOf(PayloadException.class);
        assertThat(wrong.failure().code()).isEqualTo("XAmzContentSHA256Mismatch");
    }

    @Test
    void contentMd5AndChecksumHeaders() throws IOException {
        byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
        String md5 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex("321c3cf486ed509164edec1e1981fec8"));
        assertThat(readAll(new HashedPayload(new ByteArrayInputStream(data), -1).contentMd5(md5)
                .checksum("x-amz-checksum-crc32", crc32(data)))).isEqualTo(data);
        HashedPayload bad = new HashedPayload(new ByteArrayInputStream("payloaD".getBytes()), -1).contentMd5(md5);
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(PayloadException.class);
        assertThat(bad.failure().code()).isEqualTo("BadDigest");
        HashedPayload short_ = new HashedPayload(new ByteArrayInputStream(data), 10);
        assertThatThrownBy(() -> readAll(short_)).isInstanceOf(PayloadException.class);
        assertThat(short_.failure().code()).isEqualTo("IncompleteBody");
    }

    @Test
    void checksumCheckValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().formatHex(value("x-amz-checksum-crc32", check))).isEqualTo("cbf43926");
        assertThat(HexFormat.of().formatHex(value("x-amz-checksum-crc32c", check))).isEqualTo("e3069283");
        assertThat(HexFormat.of().formatHex(value("x-amz-checksum-crc64nvme", check))).isEqualTo("ae8b14860a799888");
        assertThat(Checksums.forHeader("x-amz-checksum-md4")).isNull();
    }

    @Test
    void combinedCrcsAreTheCrcOfTheWhole() {
        byte[] data = new byte[70_001];
        new java.util.Random(9).nextBytes(data);
        for (var algorithm : List.of(ContentChecksum.Algorithm.CRC32, ContentChecksum.Algorithm.CRC32C,
                ContentChecksum.Algorithm.CRC64NVME)) {
            String header = algorithm.header();
            for (int cut : new int[] {0, 1, 8, 4096, 65_536, data.length}) {
                byte[] a = java.util.Arrays.copyOfRange(data, 0, cut);
                byte[] b = java.util.Arrays.copyOfRange(data, cut, data.length);
                assertThat(Checksums.combineCrc(algorithm, whole(header, a), whole(header, b), b.length))
                        .as(algorithm + " cut at " + cut).isEqualTo(whole(header, data));
            }
        }
        // the check value of "123456789" from "1234" and "56789"
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().formatHex(Checksums.combineCrc(ContentChecksum.Algorithm.CRC64NVME,
                whole("x-amz-checksum-crc64nvme", java.util.Arrays.copyOf(check, 4)),
                whole("x-amz-checksum-crc64nvme", java.util.Arrays.copyOfRange(check, 4, 9)), 5)))
                .isEqualTo("ae8b14860a799888");
        assertThatThrownBy(() -> Checksums.combineCrc(ContentChecksum.Algorithm.SHA1, new byte[20], new byte[20], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMatchedChecksumIsKeptOnlyOnceTheBodyWasReadAndMatched() throws IOException {
        byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
        HashedPayload ok = new HashedPayload(new ByteArrayInputStream(data), data.length)
                .checksum("x-amz-checksum-crc32", crc32(data));
        assertThat(ok.checksum()).isNull();
        readAll(ok);
        assertThat(ok.checksum().algorithm()).isEqualTo("CRC32");
        assertThat(ok.checksum().base64()).isEqualTo(crc32(data));
        HashedPayload bad = new HashedPayload(new ByteArrayInputStream("payloaD".getBytes()), -1)
                .checksum("x-amz-checksum-crc32", crc32(data));
        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(PayloadException.class);
        assertThat(bad.checksum()).isNull();
        // one checksum a request, as S3 allows
        assertThatThrownBy(() -> new HashedPayload(new ByteArrayInputStream(data), -1)
                .checksum("x-amz-checksum-crc32", crc32(data)).checksum("x-amz-checksum-crc32c", crc32(data)))
                .isInstanceOf(io.tarn.api.s3.S3Error.class).hasMessageContaining("single");
    }

    private static byte[] whole(String header, byte[] data) {
        Checksums.Running r = Checksums.forHeader(header);
        r.update(data, 0, data.length);
        return r.value();
    }

    private static byte[] value(String header, byte[] data) {
        Checksums.Running r = Checksums.forHeader(header);
        r.update(data, 0, 4);
        r.update(data, 4, data.length - 4);
        return r.value();
    }

}
