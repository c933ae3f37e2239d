package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.error.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer over real sockets: routing, auth, bodies, malformed requests, Jetty-level errors. */
class HttpServerTest {
    static final String AK = "AKIAIOSFODNN7EXAMPLE";
    static final String SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** A JSON body the createRepository test handler binds. */
    record RepoCreation(String id, String storage_namespace, Boolean flag, Integer count) {}

    private HttpServer server;
    private URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch slowStarted = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        Operations ops = new Operations()
                .add("setupLakeFS", (rq, rs) -> rs.json(200, Map.of("user", rq.user().orElse("-"))))
                .add("healthCheck", (rq, rs) -> rs.empty(204))
                .add("listRepositories", (rq, rs) -> rs.json(200, Map.of("user", rq.user().orElseThrow(),
                        "after", rq.query("after").orElse(""), "all", rq.queryAll("x"))))
                .add("createRepository", (rq, rs) -> {
                    RepoCreation body = rq.jsonBody(RepoCreation.class);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", body.id());
                    out.put("storage_namespace", body.storage_namespace()); // may be null: left out
                    rs.json(201, out);
                })
                .add("getRepository", (rq, rs) -> {
                    String repo = rq.pathParam("repository");
                    switch (repo) {
                        case "missing" -> throw new NotFoundException(NotFoundException.Kind.REPOSITORY, repo);
                        case "boom" -> throw new IllegalStateException("secret internal detail");
                        case "slow" -> {
                            slowStarted.countDown();
                            Thread.sleep(1500);
                        }
                        default -> { }
                    }
                    rs.json(200, Map.of("id", repo));
                })
                .add("deleteRepository", (rq, rs) -> rs.empty(204))
                .add("listBranches", (rq, rs) -> rs.json(200, Map.of("repository", rq.pathParam("repository"))))
                .add("getBranch", (rq, rs) -> rs.json(200, "~" + rq.pathParam("branch")))
                .add("uploadObject", (rq, rs) -> {
                    String path = rq.query("path").orElseThrow(() -> ApiException.badRequest("path is required"));
                    MessageDigest md5 = MessageDigest.getInstance("MD5");
                    long size = 0;
                    try (InputStream in = rq.multipartFile("content")) {
                        byte[] buffer = new byte[8192];
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            md5.update(buffer, 0, n);
                            size += n;
                        }
                    }
                    rs.json(201, Map.of("path", path, "size_bytes", size,
                            "checksum", HexFormat.of().formatHex(md5.digest()), "branch", rq.pathParam("branch")));
                })
                .add("getObject", (rq, rs) -> rs.stream(200, "application/octet-stream", 5,
                        new java.io.ByteArrayInputStream("hello".getBytes())))
                .add("diffRefs", (rq, rs) -> {
                    // an answer written into the response's pooled buffer: {"left": ..., "items": [...]}
                    List<String> items = bufferItems(rq.pathParam("leftRef"), Integer.parseInt(rq.pathParam("rightRef")));
                    JsonBuffer out = rs.jsonBuffer(16).raw(JsonBuffer.ascii("{\"left\":")).string(rq.pathParam("leftRef"))
                            .raw(JsonBuffer.ascii(",\"items\":["));
                    for (int i = 0; i < items.size(); i++) {
                        (i == 0 ? out : out.raw(',')).string(items.get(i));
                    }
                    rs.json(200, out.raw(']').raw('}'));
                })
                .add("diffMain", (rq, rs) -> rs.json(200, Map.of("main", true)));
        server = TestServers.start(HttpServer.Settings.of("127.0.0.1", 0).withShutdownGrace(Duration.ofSeconds(10)),
                TestDocument.bytes(), ops, TestServers.basic((ak, sk) -> AK.equals(ak) && SK.equals(sk), "admin"),
                RequestObserver.NONE);
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String basic(String ak, String sk) {
        return "Basic " + Base64.getEncoder().encodeToString((ak + ":" + sk).getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(AK, SK));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        return Json.mapper().readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("message").isTextual()).as(response.body()).isTrue();
        assertThat(body.path("message").asText()).isNotBlank();
    }

    private void assertStillUp() throws Exception {
        HttpResponse<String> health = send(HttpRequest.newBuilder(base.resolve("/_health")).build());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void servesTheDocumentByteForByteWithoutAuth() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve("/swagger.json")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo(TestDocument.bytes());
        HttpResponse<String> health = send(HttpRequest.newBuilder(base.resolve("/_health")).build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(health.headers().firstValue("X-Tarn-Instance")).contains(TestServers.INSTANCE);
    }

    /** The items of the diffRefs test answer: {@code count} strings of {@code name}, some needing escapes. */
    private static List<String> bufferItems(String name, int count) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(i % 7 == 3 ? name + "/\"café\"\t" + i : name + "/item-" + i);
        }
        return items;
    }

    @Test
    void writesAnswersOfPooledBuffersWholeAndOnlyOnceUnderConcurrency() throws Exception {
        // sizes around and past the buffer pool's largest buffer (64 KiB); every request in flight has
        // its own buffer: an array handed back too early would show as another answer's bytes
        int[] counts = {0, 1, 100, 2_000, 6_000};
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (int round = 0; round < 24; round++) {
            for (int count : counts) {
                String name = "r" + round + "c" + count;
                checks.add(client.sendAsync(request("/api/v0/repositories/r/refs/" + name + "/diff/" + count).build(),
                        HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                            assertThat(response.statusCode()).isEqualTo(200);
                            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
                            Map<String, Object> expected = new LinkedHashMap<>();
                            expected.put("left", name);
                            expected.put("items", bufferItems(name, count));
                            try {
                                assertThat(response.body()).isEqualTo(new String(Json.mapper().writeValueAsBytes(expected), StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            assertThat(response.headers().firstValueAsLong("Content-Length"))
                                    .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
                        }));
            }
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void routesWithDecodedParamsAndAnswersUnknownPathsAndMethodsInJson() throws Exception {
        HttpResponse<String> branches = send(request("/api/v0/repositories/my%20repo/branches/").build());
        assertThat(branches.statusCode()).isEqualTo(200);
        assertThat(json(branches).path("repository").asText()).isEqualTo("my repo");
        HttpResponse<String> branch = send(request("/api/v0/repositories/r/branches/feature%2Fx").build());
        assertThat(json(branch).asText()).isEqualTo("~feature/x");
        assertThat(branch.body()).isEqualTo("\"~feature/x\"");

        HttpResponse<String> query = send(request("/api/v0/repositories?after=a%2Fb&x=1&x=2").build());
        assertThat(json(query).path("after").asText()).isEqualTo("a/b");
        assertThat(json(query).path("all").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(json(query).path("user").asText()).isEqualTo("admin");

        HttpResponse<String> postDocument = send(request("/swagger.json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(postDocument, 405);
        assertThat(postDocument.headers().firstValue("Allow")).contains("GET, HEAD"); // RFC 9110: a 405 lists what is allowed
        HttpResponse<String> deleteHealth = send(request("/_health").DELETE().build());
        assertError(deleteHealth, 405);
        assertThat(deleteHealth.headers().firstValue("Allow")).contains("GET, HEAD");
        assertError(send(request("/api/v0/nothing/here").build()), 404);
        assertError(send(request("/elsewhere").build()), 404);
        HttpResponse<String> wrongMethod = send(request("/api/v0/repositories/r").PUT(
                HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(wrongMethod, 405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("DELETE, GET");
    }

    @Test
    void missingOrWrongCredentialsAre401InJson() throws Exception {
        HttpRequest.Builder noAuth = HttpRequest.newBuilder(base.resolve("/api/v0/repositories"));
        assertError(send(noAuth.build()), 401);
        for (String header : new String[] {basic("AKIAWRONGWRONGWRONGQ", SK), basic(AK, SK + "x"), basic(AK, ""),
                "Bearer abc", "Basic", "Basic !!!not-base64!!!",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v0/repositories"))
                    .header("Authorization", header).build());
            assertError(response, 401);
        }
        // operations with security: [] need nothing
        HttpResponse<String> open = send(HttpRequest.newBuilder(base.resolve("/api/v0/healthcheck")).build());
        assertThat(open.statusCode()).isEqualTo(204);
        HttpResponse<String> setup = send(HttpRequest.newBuilder(base.resolve("/api/v0/setup_lakefs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(json(setup).path("user").asText()).isEqualTo("-");
    }

    @Test
    void domainAndUnexpectedErrorsGoThroughTheMapper() throws Exception {
        HttpResponse<String> missing = send(request("/api/v0/repositories/missing").build());
        assertError(missing, 404);
        assertThat(json(missing).path("message").asText()).isEqualTo("repository not found: missing");
        HttpResponse<String> boom = send(request("/api/v0/repositories/boom").build());
        assertError(boom, 500);
        assertThat(json(boom).path("message").asText()).isEqualTo("internal server error");
        assertThat(boom.body()).doesNotContain("secret internal detail").doesNotContain("Exception");
    }

    @Test
    void jsonBodiesAreBoundStrictly() throws Exception {
        HttpResponse<String> ok = send(request("/api/v0/repositories").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"r1\",\"extra\":[1,2]}")).build());
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(ok.body()).isEqualTo("{\"id\":\"r1\"}"); // null storage_namespace left out

        for (String broken : new String[] {"{\"id\":", "not json", "{\"id\":\"r\"} trailing", "[1,2]", "\"str\"",
                "{\"id\":123}", "{\"id\":{\"a\":1}}", "{\"id\":\"r\",\"flag\":\"yes\"}",
                "{\"id\":\"r\",\"count\":\"12\"}", "{\"id\":\"r\",\"count\":1.5}", "{\"id\":true}"}) {
            HttpResponse<String> response = send(request("/api/v0/repositories")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(broken)).build());
            assertError(response, 400);
        }
        String big = "{\"id\":\"" + "x".repeat(HttpApiRequest.MAX_JSON_BODY) + "\"}";
        HttpResponse<String> tooBig = send(request("/api/v0/repositories").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big)).build());
        assertError(tooBig, 400);
        assertThat(json(tooBig).path("message").asText()).contains("too large");
        HttpResponse<String> empty = send(request("/api/v0/repositories").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertError(empty, 400);
        assertThat(json(empty).path("message").asText()).isEqualTo("request body is required");
        assertStillUp();
    }

    private static byte[] bravadoMultipart(String boundary, String partName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + partName
                + "\"; filename=\"" + partName + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private HttpResponse<String> upload(byte[] body, String boundary) throws Exception {
        return send(request("/api/v0/repositories/r/branches/main/objects?path=path%2Fto%2Ffile.csv")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void multipartInBravadosWireFormatStreamsThePart() throws Exception {
        String boundary = "0123456789abcdef0123456789abcdef";
        // content that holds near-boundaries and CRLFs
        byte[] content = ("a,b\r\n1,2\r\n--" + boundary.substring(0, 20) + "\r\n\r\n--\r\n").getBytes();
        HttpResponse<String> response = upload(bravadoMultipart(boundary, "content", content), boundary);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json(response);
        assertThat(body.path("path").asText()).isEqualTo("path/to/file.csv");
        assertThat(body.path("size_bytes").asLong()).isEqualTo(content.length);
        assertThat(body.path("checksum").asText()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)));

        // an empty part, and a part after another part
        assertThat(json(upload(bravadoMultipart(boundary, "content", new byte[0]), boundary))
                .path("size_bytes").asLong()).isZero();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nxyz").getBytes());
        two.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"f\"\r\n"
                + "Content-Type: text/csv\r\n\r\nhello\r\n--" + boundary + "--\r\n").getBytes());
        assertThat(json(upload(two.toByteArray(), boundary)).path("size_bytes").asLong()).isEqualTo(5);
    }

    @Test
    void malformedMultipartBodiesAre400() throws Exception {
        String boundary = "b0b0b0b0";
        assertError(upload(bravadoMultipart(boundary, "other", "x".getBytes()), boundary), 400);
        // not closed: the body stops inside the part
        byte[] full = bravadoMultipart(boundary, "content", "0123456789".getBytes());
        byte[] cut = java.util.Arrays.copyOf(full, full.length - boundary.length() - 8);
        assertError(upload(cut, boundary), 400);
        // no boundary at all / not multipart
        assertError(send(request("/api/v0/repositories/r/branches/main/objects?path=p")
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build()), 400);
        assertError(send(request("/api/v0/repositories/r/branches/main/objects?path=p")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 400);
        assertError(upload("garbage without any boundary".getBytes(), boundary), 400);
        assertStillUp();
    }

    /** Sends raw bytes on a fresh socket and returns everything the server answers until it closes. */
    private String raw(byte[] request, boolean shutdownOutput) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            if (shutdownOutput) {
                socket.shutdownOutput();
            }
            return readResponse(socket.getInputStream());
        }
    }

    /** Reads one response (headers + Content-Length body) or until EOF. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int contentLength = -1;
        int headerEnd = -1;
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            byte[] sofar = out.toByteArray();
            if (headerEnd < 0 && sofar.length >= 4 && sofar[sofar.length - 4] == '\r' && sofar[sofar.length - 3] == '\n'
                    && sofar[sofar.length - 2] == '\r' && sofar[sofar.length - 1] == '\n') {
                headerEnd = sofar.length;
                String head = new String(sofar, StandardCharsets.ISO_8859_1).toLowerCase();
                int at = head.indexOf("content-length:");
                if (at >= 0) {
                    contentLength = Integer.parseInt(head.substring(at + 15, head.indexOf('\r', at)).trim());
                }
                if (contentLength == 0) {
                    break;
                }
            }
            if (headerEnd >= 0 && contentLength >= 0 && out.size() - headerEnd >= contentLength) {
                break;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertRawError(String response, int status) throws IOException {
        assertThat(response).as(response).startsWith("HTTP/1.1 " + status);
        assertThat(response.toLowerCase()).contains("content-type: application/json");
        JsonNode body = Json.mapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("message").asText()).as(response).isNotBlank();
    }

    private static byte[] get(String target, String... headers) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Authorization: ").append(basic(AK, SK)).append("\r\nConnection: close\r\n\r\n");
        return request.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void dotDotNulAndBadEncodingInPathsAre400() throws Exception {
        for (String target : new String[] {"/api/v0/repositories/../repositories/x", "/api/v0/repositories/%2e%2e/x",
                "/api/v0/repositories/a%00b", "/api/v0/repositories/%zz", "/api/v0/../../etc/passwd",
                "/api/v0/repositories/..", "/api/v0/repositories/%C3%28"}) {
            String response = raw(get(target), false);
            assertThat(response).as(target).matches("(?s)HTTP/1.1 4\\d\\d .*");
            assertRawError(response, Integer.parseInt(response.substring(9, 12)));
        }
        // bad percent-encoding in the query
        assertRawError(raw(get("/api/v0/repositories?after=%zz"), false), 400);
        assertRawError(raw(get("/api/v0/repositories?after=%C3%28"), false), 400);
        // a raw NUL byte in the request line
        String nul = raw("GET /api/v0/repositories/a\0b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), false);
        assertRawError(nul, 400);
        assertStillUp();
    }

    @Test
    void hugeHeaderIs431InJson() throws Exception {
        // 10 MB of header, written by another thread while this one reads the answer
        byte[] request = get("/api/v0/repositories", "X-Big: " + "a".repeat(10 * 1024 * 1024));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(request);
                } catch (IOException expected) {
                    // the server answers and closes long before 10 MB are sent
                }
            });
            assertRawError(readResponse(socket.getInputStream()), 431);
            writer.join(10_000);
        }
        // smaller than 10 MB but over the limit
        assertRawError(raw(get("/api/v0/repositories", "X-Big: " + "a".repeat(64 * 1024)), false), 431);
        assertStillUp();
    }

    @Test
    void bodyCutShortIs400AndNothingHangs() throws Exception {
        String boundary = "cutcutcut";
        byte[] head = ("POST /api/v0/repositories/r/branches/main/objects?path=p HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + basic(AK, SK) + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] start = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\""
                + "\r\n\r\nonly a few bytes").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head);
        request.writeBytes(start);
        String response = raw(request.toByteArray(), true);
        // The client stopped sending half-way (half-close): the server still answers 400 in JSON.
        assertRawError(response, 400);
        // JSON body cut short
        byte[] json = ("POST /api/v0/repositories HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(AK, SK)
                + "\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"id\":")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertRawError(raw(json, true), 400);
        assertStillUp();
    }

    @Test
    void earlyAnswerOnARequestWithABodyKeepsTheConnectionUsable() throws Exception {
        String boundary = "keepalive";
        byte[] body = bravadoMultipart(boundary, "content", new byte[200_000]);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // 1: no credentials: answered before the body is read
            out.write(("POST /api/v0/repositories/r/branches/main/objects?path=p HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String first = readResponse(socket.getInputStream());
            assertRawError(first, 401);
            assertThat(first.toLowerCase()).doesNotContain("connection: close");
            // 2: the same connection still works
            out.write(("GET /api/v0/repositories/r HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(AK, SK)
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String second = readResponse(socket.getInputStream());
            assertThat(second).startsWith("HTTP/1.1 200");
            assertThat(second).endsWith("{\"id\":\"r\"}");
        }
    }

    @Test
    void headersAreReadAsSentOnOneConnection() throws Exception {
        // one keep-alive connection: credentials that differ only in case, long values and many
        // distinct header lines (more than a parser's header cache would hold, were one configured:
        // HEADER_CACHE_ENTRIES); every answer is that of its own request's headers, never of a cached line
        String good = basic(AK, SK);
        String wrongCase = basic(AK, SK.toLowerCase());
        String longAgent = "agent-" + "x".repeat(Math.max(2_048, HttpServer.HEADER_CACHE_ENTRIES * 2));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 40; i++) {
                boolean ok = i % 2 == 0;
                out.write(("GET /api/v0/repositories/r" + i + " HTTP/1.1\r\nHost: host-" + i + "\r\n"
                        + "User-Agent: " + (i % 4 == 0 ? longAgent : "client/" + i) + "\r\n"
                        + "Accept-Language: lang-" + i + "\r\n"
                        + "Authorization: " + (ok ? good : wrongCase) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String answer = readResponse(socket.getInputStream());
                if (ok) {
                    assertThat(answer).as("request %d", i).startsWith("HTTP/1.1 200").endsWith("{\"id\":\"r" + i + "\"}");
                } else {
                    assertRawError(answer, 401);
                }
            }
        }
    }

    @Test
    void streamsResponses() throws Exception {
        HttpResponse<byte[]> response = client.send(request("/api/v0/repositories/r/refs/main/objects?path=x").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(response.headers().firstValue("Content-Length")).contains("5");
        assertThat(new String(response.body())).isEqualTo("hello");
    }

    @Test
    void gracefulShutdownFinishesInFlightRequests() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(request("/api/v0/repositories/slow").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        long before = System.nanoTime();
        server.close();
        HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("id").asText()).isEqualTo("slow");
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.SECONDS.toNanos(9));
    }
}
