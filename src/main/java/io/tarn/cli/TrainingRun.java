package io.tarn.cli;

import io.tarn.config.TarnConfig;
import io.tarn.server.LogSetup;
import io.tarn.server.TarnServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the JVM's start-up cache ({@code scripts/startup-cache.sh}): starts a server
 * the way {@code tarn run} does, on throw-away folders and a free loopback port, sends it one request
 * of each common kind (health, the classic API's repository, upload, stat, get, commit, listing, the
 * current API, the web UI, the metrics), and stops it. The JVM that runs it with
 * {@code -XX:AOTCacheOutput} (or {@code -XX:ArchiveClassesAtExit}) writes what was loaded and linked,
 * and the profiles of what ran, to the cache that later starts map. The environment's settings
 * ({@code TARN_*}) are ignored: the run never touches the user's data.
 */
final class TrainingRun {
    private static final String BOUNDARY = "tarn-training-boundary";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String auth;

    private TrainingRun(int port, String keyId, String secret) {
        this.base = "http://127.0.0.1:" + port;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((keyId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the training server and its requests; throws when a request is not answered as expected. */
    static void run(PrintWriter out) throws Exception {
        Path folder = Files.createTempDirectory("tarn-training-");
        try {
            SecureRandom random = new SecureRandom();
            String keyId = "AKIATRAINING" + HexFormat.of().withUpperCase().formatHex(random.generateSeed(4));
            String secret = HexFormat.of().formatHex(random.generateSeed(20));
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("listen_address", "127.0.0.1:0");
            flags.put("database.local.path", folder.resolve("metadata").toString());
            flags.put("blockstore.local.path", folder.resolve("data").toString());
            flags.put("committed.local_cache.dir", folder.resolve("cache").toString());
            flags.put("installation.user_name", "training");
            flags.put("installation.access_key_id", keyId);
            flags.put("installation.secret_access_key", secret);
            TarnConfig config = TarnConfig.load(null, Map.of(), flags).config();
            LogSetup.configure(config.logging());
            try (TarnServer server = TarnServer.start(config, TarnServer.DEFAULT_ENGINE, out, false)) {
                new TrainingRun(server.port(), keyId, secret).requests();
            }
            out.println("tarn: training run done");
            out.flush();
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void requests() throws IOException, InterruptedException {
        expect(200, get("/_health", false));
        String repo = "/api/v0/repositories/training";
        expect(201, send("POST", "/api/v0/repositories", "application/json",
                "{\"id\":\"training\",\"storage_namespace\":\"local://training\",\"default_branch\":\"main\"}"));
        for (int i = 0; i < 3; i++) {
            String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"o\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n" + "training object " + i + "\r\n--" + BOUNDARY + "--\r\n";
            expect(201, send("POST", repo + "/branches/main/objects?path=t/o" + i, "multipart/form-data; boundary=" + BOUNDARY, body));
        }
        expect(200, get(repo + "/refs/main/objects/stat?path=t/o0", true));
        expect(200, get(repo + "/refs/main/objects?path=t/o1", true));
        expect(201, send("POST", repo + "/branches/main/commits", "application/json", "{\"message\":\"training\"}"));
        expect(200, get(repo + "/refs/main/objects/ls?prefix=t/&amount=100", true));
        expect(200, get(repo + "/refs/main/objects?path=t/o2", true));
        expect(201, send("POST", repo + "/branches", "application/json", "{\"name\":\"b\",\"source\":\"main\"}"));
        expect(200, get(repo + "/refs/b/diff/main?amount=100", true));
        expect(200, get("/api/v1/repositories/training/refs/main/objects/ls?amount=100", true));
        expect(200, get("/api/v1/repositories/training/refs/main/objects?path=t/o0", true));
        expect(200, get("/_health", false));
        expect(200, get("/metrics", false));
        expect(200, get("/", false));
        expect(404, get(repo + "/refs/main/objects?path=missing", true));
    }

    private HttpResponse<byte[]> get(String path, boolean authenticated) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET();
        if (authenticated) {
            b.header("Authorization", auth);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", auth).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void expect(int status, HttpResponse<byte[]> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("training request " + response.request().method() + " "
                    + response.request().uri().getRawPath() + " answered " + response.statusCode() + ", expected "
                    + status + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
    }
}
