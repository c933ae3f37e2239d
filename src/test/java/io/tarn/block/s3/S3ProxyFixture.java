package io.tarn.block.s3;

import io.tarn.block.BlockStoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-compatible server for tests: S3Proxy started once per test JVM with
 * {@code scripts/s3proxy.sh} on a free port and a temporary folder, with the bucket
 * {@value #BUCKET}, stopped when the JVM exits (the script also watches this JVM's pid, so it does
 * not outlive a killed test run).
 *
 * <p>If the environment variable {@code TARN_TEST_S3_ENDPOINT} is set, that server is used instead
 * (credentials from {@code TARN_TEST_S3_ACCESS_KEY_ID} / {@code TARN_TEST_S3_SECRET_ACCESS_KEY},
 * by default the ones {@code scripts/s3proxy.sh} uses), and the bucket is created if missing.
 */
public final class S3ProxyFixture {
    public static final String BUCKET = "storage-bucket";
    public static final String DEFAULT_ACCESS_KEY_ID = "tarn-test";
    public static final String DEFAULT_SECRET_ACCESS_KEY = "tarn-test-secret";

    private static S3ProxyFixture shared;

    private final String endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;

    private S3ProxyFixture(String endpoint, String accessKeyId, String secretAccessKey) {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** The server for this JVM, started on first use. */
    public static synchronized S3ProxyFixture shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public String endpoint() {
        return endpoint;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** S3 settings pointing at this server (path-style addressing, region us-east-1). */
    public BlockStoreConfig.S3 config() {
        return new BlockStoreConfig.S3(endpoint, "us-east-1", true,
                new BlockStoreConfig.Credentials(accessKeyId, secretAccessKey));
    }

    /** A raw SDK client for this server, for checks a BlockStore cannot make; close it after use. */
    public S3Client client() {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .build();
    }

    private static S3ProxyFixture start() {
        String external = System.getenv("TARN_TEST_S3_ENDPOINT");
        if (external != null && !external.isBlank()) {
            S3ProxyFixture f = new S3ProxyFixture(external.trim(),
                    envOr("TARN_TEST_S3_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID),
                    envOr("TARN_TEST_S3_SECRET_ACCESS_KEY", DEFAULT_SECRET_ACCESS_KEY));
            f.ensureBucket();
            return f;
        }
        Path script = findScript();
        try {
            Path dir = Files.createTempDirectory("tarn-s3proxy-");
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "start", Integer.toString(port),
                    dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .directory(script.getParent().getParent().toFile());
            pb.environment().put("S3PROXY_WATCH_PID", Long.toString(ProcessHandle.current().pid()));
            pb.environment().put("S3PROXY_BUCKETS", BUCKET);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !out.startsWith("http")) {
                throw new IllegalStateException("scripts/s3proxy.sh start failed (output: " + out + ")");
            }
            String endpoint = out.lines().reduce((a, b) -> b).orElseThrow();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, dir)));
            return new S3ProxyFixture(endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting S3Proxy", e);
        }
    }

    private static void stop(Path script, Path dir) {
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "stop", "0", dir.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            // best effort at JVM exit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path findScript() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts/s3proxy.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/s3proxy.sh not found above " + dir);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private void ensureBucket() {
        try (S3Client c = client()) {
            try {
                c.headBucket(b -> b.bucket(BUCKET));
            } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
                try {
                    c.createBucket(b -> b.bucket(BUCKET));
                } catch (BucketAlreadyOwnedByYouException ignored) {
                    // created meanwhile
                }
            }
        }
    }
}
