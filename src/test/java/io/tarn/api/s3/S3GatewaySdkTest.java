package io.tarn.api.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.server.MemoryServers;
import io.tarn.server.TarnServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The gateway with the AWS SDK for Java v2 of pom.xml at its defaults (flexible checksums on: its
 * uploads are aws-chunked with chunk signatures and a trailing CRC32 over plain HTTP).
 */
class S3GatewaySdkTest {
    private static final String KEY = "AKIAJSDKTESTKEY0001Q";
    private static final String SECRET = "sdkTestSecretKey00000000000000000000000x";
    @TempDir
    static Path dir;
    private static TarnServer server;
    private static S3Client s3;
    /** The x-amz-content-sha256 modes the SDK sent, by operation. */
    private static final Map<String, String> PAYLOAD_MODES = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        server = MemoryServers.start(dir, "sdk-test-key", KEY, SECRET, Map.of());
        String endpoint = "http://127.0.0.1:" + server.port();
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(endpoint + "/api/v0/repositories"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"sdk-repo\",\"storage_namespace\":\"mem://sdk-repo\",\"default_branch\":\"main\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        context.httpRequest().firstMatchingHeader("x-amz-content-sha256").ifPresent(mode ->
                                PAYLOAD_MODES.put(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), mode));
                    }
                }))
                .build();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void putGetListDeleteWithTheSdkDefaults() {
        byte[] body = new byte[300_000];
        new Random(1).nextBytes(body);
        String etag = s3.putObject(b -> b.bucket("sdk-repo").key("main/sdk/a.bin").contentType("application/x-test")
                .metadata(Map.of("owner", "sdk")), RequestBody.fromBytes(body)).eTag();
        assertThat(etag).isEqualTo('"' + md5(body) + '"');
        // the SDK's default over HTTP: signed chunks with a trailing checksum
        assertThat(PAYLOAD_MODES.get("PutObject")).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key("main/sdk/a.bin"));
        assertThat(got.asByteArray()).isEqualTo(body);
        assertThat(got.response().contentType()).isEqualTo("application/x-test");
        assertThat(got.response().metadata()).containsEntry("owner", "sdk");
        byte[] part = s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key("main/sdk/a.bin").range("bytes=10-19"))
                .asByteArray();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(body, 10, 20));

        s3.putObject(b -> b.bucket("sdk-repo").key("main/sdk/b.txt"), RequestBody.fromString("b"));
        ListObjectsV2Response list = s3.listObjectsV2(b -> b.bucket("sdk-repo").prefix("main/sdk/"));
        assertThat(list.contents()).extracting(S3Object::key).containsExactly("main/sdk/a.bin", "main/sdk/b.txt");
        assertThat(s3.listObjectsV2(b -> b.bucket("sdk-repo").delimiter("/")).commonPrefixes())
                .extracting(p -> p.prefix()).containsExactly("main/");

        s3.deleteObject(b -> b.bucket("sdk-repo").key("main/sdk/b.txt"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("sdk-repo").key("main/sdk/b.txt")))
                .isInstanceOf(S3Exception.class).extracting(e -> ((S3Exception) e).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("sdk-repo").key("main/sdk/none")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("no-such-repo")))
                .isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void multipartWithTheSdkDefaults() {
        String id = s3.createMultipartUpload(b -> b.bucket("sdk-repo").key("main/sdk/mp.bin")).uploadId();
        byte[] one = new byte[5 * 1024 * 1024];
        byte[] two = "the end".getBytes(StandardCharsets.UTF_8);
        new Random(2).nextBytes(one);
        List<CompletedPart> parts = new ArrayList<>();
        int n = 1;
        for (byte[] data : List.of(one, two)) {
            int number = n++;
            String etag = s3.uploadPart(b -> b.bucket("sdk-repo").key("main/sdk/mp.bin").uploadId(id).partNumber(number),
                    RequestBody.fromBytes(data)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        String etag = s3.completeMultipartUpload(b -> b.bucket("sdk-repo").key("main/sdk/mp.bin").uploadId(id)
                .multipartUpload(m -> m.parts(parts))).eTag();
        assertThat(etag).endsWith("-2\"");
        byte[] all = s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key("main/sdk/mp.bin")).asByteArray();
        assertThat(all).hasSize(one.length + two.length);
        assertThat(md5(all)).isEqualTo(md5(concat(one, two)));
    }

    @Test
    void theSdksDefaultCrc32IsKeptAndAnsweredWithChecksumModeEnabled() {
        byte[] body = new byte[200_000];
        new Random(3).nextBytes(body);
        PutObjectResponse put = s3.putObject(b -> b.bucket("sdk-repo").key("main/sum/a.bin"), RequestBody.fromBytes(body));
        assertThat(put.checksumCRC32()).isEqualTo(crc32(body));
        // the SDK asks for checksums on GetObject by default and checks the body against the one answered
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key("main/sum/a.bin")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(got.asByteArray()).isEqualTo(body);
        assertThat(got.response().checksumCRC32()).isEqualTo(crc32(body));
        assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        HeadObjectResponse head = s3.headObject(b -> b.bucket("sdk-repo").key("main/sum/a.bin")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC32()).isEqualTo(crc32(body));
        // without the mode, and for a range, no checksum (as S3)
        assertThat(s3.headObject(b -> b.bucket("sdk-repo").key("main/sum/a.bin")).checksumCRC32()).isNull();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key("main/sum/a.bin").range("bytes=0-9")
                .checksumMode(ChecksumMode.ENABLED)).response().checksumCRC32()).isNull();
        // another algorithm the client picks is kept as well; a copy keeps a whole object's checksum
        s3.putObject(b -> b.bucket("sdk-repo").key("main/sum/b.bin").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(body));
        assertThat(s3.headObject(b -> b.bucket("sdk-repo").key("main/sum/b.bin").checksumMode(ChecksumMode.ENABLED))
                .checksumSHA256()).isEqualTo(base64(digest("SHA-256", body)));
        s3.copyObject(b -> b.sourceBucket("sdk-repo").sourceKey("main/sum/a.bin").destinationBucket("sdk-repo")
                .destinationKey("main/sum/copy.bin"));
        assertThat(s3.headObject(b -> b.bucket("sdk-repo").key("main/sum/copy.bin").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32()).isEqualTo(crc32(body));
    }

    @Test
    void aMultipartUploadWithACrc32HasTheCompositeChecksumOfItsParts() {
        byte[] one = new byte[5 * 1024 * 1024];
        byte[] two = new byte[1234];
        new Random(4).nextBytes(one);
        new Random(5).nextBytes(two);
        var created = s3.createMultipartUpload(b -> b.bucket("sdk-repo").key("main/sum/mp.bin")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32));
        assertThat(created.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(created.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        List<CompletedPart> parts = uploadParts("main/sum/mp.bin", created.uploadId(), ChecksumAlgorithm.CRC32, one, two);
        assertThat(parts).extracting(CompletedPart::checksumCRC32).containsExactly(crc32(one), crc32(two));
        var listed = s3.listParts(b -> b.bucket("sdk-repo").key("main/sum/mp.bin").uploadId(created.uploadId()));
        assertThat(listed.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(listed.parts()).extracting(p -> p.checksumCRC32()).containsExactly(crc32(one), crc32(two));
        var done = s3.completeMultipartUpload(b -> b.bucket("sdk-repo").key("main/sum/mp.bin")
                .uploadId(created.uploadId()).multipartUpload(m -> m.parts(parts)));
        // S3's composite form: the CRC32 of the parts' CRC32s, then -<number of parts>
        byte[] partSums = concat(Base64.getDecoder().decode(crc32(one)), Base64.getDecoder().decode(crc32(two)));
        String composite = crc32(partSums) + "-2";
        assertThat(done.checksumCRC32()).isEqualTo(composite);
        assertThat(done.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key("main/sum/mp.bin")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(got.asByteArray()).isEqualTo(concat(one, two));
        assertThat(got.response().checksumCRC32()).isEqualTo(composite);
        assertThat(got.response().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
    }

    @Test
    void aFullObjectMultipartChecksumIsCombinedFromItsParts() {
        byte[] one = new byte[5 * 1024 * 1024];
        byte[] two = new byte[4321];
        new Random(6).nextBytes(one);
        new Random(7).nextBytes(two);
        byte[] whole = concat(one, two);
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC64_NVME, ChecksumAlgorithm.CRC32_C)) {
            String key = "main/sum/full-" + algorithm + ".bin";
            var created = s3.createMultipartUpload(b -> b.bucket("sdk-repo").key(key).checksumAlgorithm(algorithm)
                    .checksumType(ChecksumType.FULL_OBJECT));
            assertThat(created.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
            List<CompletedPart> parts = uploadParts(key, created.uploadId(), algorithm, one, two);
            var done = s3.completeMultipartUpload(b -> b.bucket("sdk-repo").key(key).uploadId(created.uploadId())
                    .multipartUpload(m -> m.parts(parts)));
            assertThat(done.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("sdk-repo").key(key)
                    .checksumMode(ChecksumMode.ENABLED));
            assertThat(got.asByteArray()).isEqualTo(whole);
            String expected = algorithm == ChecksumAlgorithm.CRC32_C ? base64(zip(new java.util.zip.CRC32C(), whole))
                    : base64(crc64nvme(whole));
            String answered = algorithm == ChecksumAlgorithm.CRC32_C ? got.response().checksumCRC32C()
                    : got.response().checksumCRC64NVME();
            assertThat(answered).as(algorithm.toString()).isEqualTo(expected);
        }
    }

    @Test
    void checksumMistakesAreClearS3Errors() {
        // CRC64NVME is a full-object checksum only
        assertThatThrownBy(() -> s3.createMultipartUpload(b -> b.bucket("sdk-repo").key("main/sum/bad.bin")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME).checksumType(ChecksumType.COMPOSITE)))
                .isInstanceOf(S3Exception.class)
                .extracting(e -> ((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
        // a part with another algorithm than its upload's is refused before it is stored
        String id = s3.createMultipartUpload(b -> b.bucket("sdk-repo").key("main/sum/bad.bin")
                .checksumAlgorithm(ChecksumAlgorithm.SHA1)).uploadId();
        assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket("sdk-repo").key("main/sum/bad.bin").uploadId(id)
                .partNumber(1).checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromString("x")))
                .isInstanceOf(S3Exception.class)
                .extracting(e -> ((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
        assertThat(s3.listParts(b -> b.bucket("sdk-repo").key("main/sum/bad.bin").uploadId(id)).parts()).isEmpty();
        // a part's checksum in the completion must be the one it was uploaded with
        String etag = s3.uploadPart(b -> b.bucket("sdk-repo").key("main/sum/bad.bin").uploadId(id).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.SHA1), RequestBody.fromString("x")).eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("sdk-repo").key("main/sum/bad.bin")
                .uploadId(id).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag)
                        .checksumSHA1(base64(digest("SHA-1", "y".getBytes(StandardCharsets.UTF_8)))).build()))))
                .isInstanceOf(S3Exception.class)
                .extracting(e -> ((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidPart");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("sdk-repo").key("main/sum/bad.bin")))
                .isInstanceOf(NoSuchKeyException.class);
        s3.abortMultipartUpload(b -> b.bucket("sdk-repo").key("main/sum/bad.bin").uploadId(id));
    }

    private List<CompletedPart> uploadParts(String key, String uploadId, ChecksumAlgorithm algorithm, byte[]... data) {
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            int number = i + 1;
            byte[] d = data[i];
            // the SDK computes CRC64NVME only with the AWS CRT (not a dependency here): the test gives it
            UploadPartResponse up = s3.uploadPart(b -> {
                b.bucket("sdk-repo").key(key).uploadId(uploadId).partNumber(number).checksumAlgorithm(algorithm);
                if (algorithm == ChecksumAlgorithm.CRC64_NVME) {
                    b.checksumCRC64NVME(base64(crc64nvme(d)));
                }
            }, RequestBody.fromBytes(d));
            parts.add(CompletedPart.builder().partNumber(number).eTag(up.eTag()).checksumCRC32(up.checksumCRC32())
                    .checksumCRC32C(up.checksumCRC32C()).checksumCRC64NVME(up.checksumCRC64NVME()).build());
        }
        return parts;
    }

    private static String crc32(byte[] data) {
        return base64(zip(new java.util.zip.CRC32(), data));
    }

    /** A 32-bit {@code java.util.zip} checksum's big-endian bytes. */
    private static byte[] zip(java.util.zip.Checksum checksum, byte[] data) {
        checksum.update(data, 0, data.length);
        return java.nio.ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array();
    }

    /** CRC-64/NVME written out bit by bit (reflected 0x9A6C9329AC4BC9B5), independent of the server's table. */
    private static byte[] crc64nvme(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
        }
        return java.nio.ByteBuffer.allocate(8).putLong(~crc).array();
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatch() {
        try (S3Client bad = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, "wrong-secret-0000")))
                .build()) {
            assertThatThrownBy(() -> bad.putObject(b -> b.bucket("sdk-repo").key("main/x"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class)
                    .extracting(e -> ((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
