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
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

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
