package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.api.MemoryApiServer;
import io.tarn.api.http.Mount;
import io.tarn.auth.BasicAuthenticator;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic operations over real HTTP (the Jetty layer, the router built from the document, the
 * error mapping) on the real engine with in-memory stores: what only the wire shows.
 */
class ClassicApiHttpTest {
    private static final String KEY = MemoryApiServer.KEY;
    private static final String SECRET = MemoryApiServer.SECRET;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path temp;
    private static MemoryApiServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new MemoryApiServer(temp, api -> new Mount(ClassicSurface.paths(),
                ClassicSurface.create(api.engine(), api.auth(), new BasicAuthenticator(api.auth()))));
        base = server.root() + "/api/v0";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpRequest.Builder request(String path) {
        String basic = Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Basic " + basic);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> upload(String repo, String branch, String path, byte[] data) throws Exception {
        String boundary = "b0undary" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(data);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/repositories/" + repo + "/branches/" + branch + "/objects?path="
                + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static String createRepository(String id) throws Exception {
        HttpResponse<String> created = postJson("/repositories",
                "{\"id\":\"" + id + "\",\"storage_namespace\":\"mem://" + id + "\",\"default_branch\":\"main\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return id;
    }

    @Test
    void repositoryAndBranchShapes() throws Exception {
        String repo = createRepository("shapes-repo");
        JsonNode got = json(send(request("/repositories/" + repo).build()));
        assertThat(got.path("id").asText()).isEqualTo(repo);
        assertThat(got.path("creation_date").isIntegralNumber()).isTrue();

        HttpResponse<String> branch = postJson("/repositories/" + repo + "/branches", "{\"name\":\"feature\",\"source\":\"main\"}");
        assertThat(branch.statusCode()).isEqualTo(201);
        assertThat(branch.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(branch.body()).matches("\"[0-9a-f]{64}\"");

        HttpResponse<String> list = send(request("/repositories/" + repo + "/branches").build());
        assertThat(list.body()).isEqualTo("{\"pagination\":{\"has_more\":false,\"results\":2,\"max_per_page\":1000},"
                + "\"results\":[\"feature\",\"main\"]}");
        assertThat(postJson("/repositories/" + repo + "/branches", "{\"name\":\"feature\",\"source\":\"main\"}").statusCode())
                .isEqualTo(409);
    }

    @Test
    void uploadAndDownloadWithRanges() throws Exception {
        String repo = createRepository("objects-repo");
        byte[] data = "hello, ranges!".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> uploaded = upload(repo, "main", "dir/hello.txt", data);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        JsonNode stats = json(uploaded);
        assertThat(stats.path("checksum").asText()).isEqualTo(md5);
        assertThat(stats.path("size_bytes").asLong()).isEqualTo(data.length);

        String url = "/repositories/" + repo + "/refs/main/objects?path=dir%2Fhello.txt";
        HttpResponse<byte[]> whole = CLIENT.send(request(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(whole.headers().firstValue("ETag")).hasValue('"' + md5 + '"');
        assertThat(whole.headers().firstValue("Content-Length")).hasValue(String.valueOf(data.length));
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"hello.txt\"");
        assertThat(whole.headers().firstValue("Last-Modified")).hasValueSatisfying(v -> assertThat(v).endsWith(" GMT"));

        HttpResponse<String> part = send(request(url).header("Range", "bytes=7-12").build());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("ranges");
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 7-12/" + data.length);

        HttpResponse<String> beyond = send(request(url).header("Range", "bytes=100-").build());
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + data.length);
        assertThat(json(beyond).path("message").asText()).contains("range not satisfiable");

        HttpResponse<String> missing = send(request("/repositories/" + repo + "/refs/main/objects?path=nope").build());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("message").isTextual()).isTrue();
    }

    @Test
    void aPathHoldingTheReplacementCharacterIsValidButBrokenUtf8IsNot() throws Exception {
        // U+FFFD is an ordinary character, sent as the valid UTF-8 %EF%BF%BD; only undecodable bytes are a 400.
        String repo = createRepository("fffd-repo");
        byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> uploaded = upload(repo, "main", "odd\uFFFDname.txt", data);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(json(uploaded).path("path").asText()).isEqualTo("odd\uFFFDname.txt");
        HttpResponse<String> stat = send(request("/repositories/" + repo + "/refs/main/objects/stat?path=odd%EF%BF%BDname.txt").build());
        assertThat(stat.statusCode()).as(stat.body()).isEqualTo(200);

        HttpResponse<String> broken = send(request("/repositories/" + repo + "/refs/main/objects/stat?path=odd%FFname.txt").build());
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).path("message").isTextual()).isTrue();
    }

    @Test
    void mergeConflictAnswersTheConflictingPaths() throws Exception {
        String repo = createRepository("conflict-repo");
        assertThat(upload(repo, "main", "c.txt", new byte[] {1}).statusCode()).isEqualTo(201);
        assertThat(postJson("/repositories/" + repo + "/branches/main/commits", "{\"message\":\"base\"}").statusCode()).isEqualTo(201);
        assertThat(postJson("/repositories/" + repo + "/branches", "{\"name\":\"other\",\"source\":\"main\"}").statusCode()).isEqualTo(201);
        assertThat(upload(repo, "main", "c.txt", new byte[] {2}).statusCode()).isEqualTo(201);
        assertThat(upload(repo, "other", "c.txt", new byte[] {3}).statusCode()).isEqualTo(201);
        assertThat(postJson("/repositories/" + repo + "/branches/main/commits", "{\"message\":\"m\"}").statusCode()).isEqualTo(201);
        assertThat(postJson("/repositories/" + repo + "/branches/other/commits", "{\"message\":\"o\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> merge = send(request("/repositories/" + repo + "/refs/other/merge/main")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(merge.statusCode()).isEqualTo(409);
        JsonNode body = json(merge);
        assertThat(body.path("message").isTextual()).isTrue();
        assertThat(body.path("results").toString()).isEqualTo("[{\"path\":\"c.txt\",\"path_type\":\"object\",\"type\":\"conflict\"}]");
        assertThat(body.path("summary").path("conflict").asLong()).isEqualTo(1);

        HttpResponse<String> resolved = postJson("/repositories/" + repo + "/refs/other/merge/main", "{\"strategy\":\"source-wins\"}");
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        assertThat(json(resolved).path("reference").asText()).hasSize(64);
    }

    /** A raw HTTP/1.1 POST with a chunked body (how clients send a body of unknown length); the status line. */
    private static String postChunked(String path, String chunkedBody) throws Exception {
        String basic = Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(base + path);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + basic + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunkedBody)
                    .getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEmptyChunkedBodyIsNoBodyForAnOptionalOne() throws Exception {
        // mergeIntoBranch's body is optional: an empty body is a merge without options, however it is framed.
        String repo = createRepository("chunked-repo");
        assertThat(postJson("/repositories/" + repo + "/branches", "{\"name\":\"feature\",\"source\":\"main\"}").statusCode())
                .isEqualTo(201);
        assertThat(upload(repo, "feature", "f.txt", new byte[] {1}).statusCode()).isEqualTo(201);
        String committed = postChunked("/repositories/" + repo + "/branches/feature/commits",
                "10\r\n{\"message\":\"f1\"}\r\n0\r\n\r\n");
        assertThat(committed).startsWith("HTTP/1.1 201");

        String merged = postChunked("/repositories/" + repo + "/refs/feature/merge/main", "0\r\n\r\n");
        assertThat(merged).as(merged).startsWith("HTTP/1.1 200");
        assertThat(merged).contains("\"reference\":");

        String noCommitBody = postChunked("/repositories/" + repo + "/branches/main/commits", "0\r\n\r\n");
        assertThat(noCommitBody).startsWith("HTTP/1.1 400").contains("required");
    }

    @Test
    void credentialsAreRequired() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(base + "/repositories")).build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).path("message").isTextual()).isTrue();
    }
}
