package io.tarn.api.current;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.api.MemoryApiServer;
import io.tarn.api.http.Mount;
import io.tarn.auth.AuthenticatorChain;
import io.tarn.auth.BasicAuthenticator;
import io.tarn.auth.LoginTokens;
import io.tarn.auth.TokenAuthenticator;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The current API over real HTTP on the real engine with in-memory stores. */
class CurrentApiHttpTest {
    private static final String KEY = MemoryApiServer.KEY;
    private static final String SECRET = MemoryApiServer.SECRET;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path temp;
    private static MemoryApiServer server;
    private static String root;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new MemoryApiServer(temp, api -> {
            LoginTokens tokens = LoginTokens.of(api.auth(), Duration.ofHours(1));
            return new Mount(CurrentSurface.paths(), CurrentSurface.create(api.engine(), api.auth(), tokens,
                    new CurrentSurface.ServerInfo("dev", "mem"), AuthenticatorChain.of(
                            new BasicAuthenticator(api.auth()), new TokenAuthenticator(tokens, api.auth()))));
        });
        root = server.root();
        base = root + "/api/v1";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private static HttpRequest.Builder request(String path) {
        String basic = Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        return anonymous(path).header("Authorization", "Basic " + basic);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(request(path).build());
    }

    private static HttpResponse<String> postJson(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> upload(String repo, String branch, String path, byte[] data) throws Exception {
        String boundary = "b0undary" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(data);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/repositories/" + repo + "/branches/" + branch + "/objects?path=" + q(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static String createRepository(String id) throws Exception {
        HttpResponse<String> created = postJson("/repositories",
                "{\"name\":\"" + id + "\",\"storage_namespace\":\"mem://" + id + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return id;
    }

    private static String commit(String repo, String branch, String message) throws Exception {
        HttpResponse<String> commit = postJson("/repositories/" + repo + "/branches/" + branch + "/commits",
                "{\"message\":\"" + message + "\"}");
        assertThat(commit.statusCode()).as(commit.body()).isEqualTo(201);
        return json(commit).path("id").asText();
    }

    @Test
    void theDocumentIsServedAsItIs() throws Exception {
        HttpResponse<byte[]> document = CLIENT.send(HttpRequest.newBuilder(URI.create(root + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).isEqualTo(CurrentSurface.document());
    }

    @Test
    void repositoriesHaveTheCurrentShapes() throws Exception {
        String repo = createRepository("current-shapes");
        JsonNode got = json(get("/repositories/" + repo));
        assertThat(got.path("id").asText()).isEqualTo(repo);
        assertThat(got.path("default_branch").asText()).isEqualTo("main");
        assertThat(got.path("creation_date").isIntegralNumber()).isTrue();
        assertThat(postJson("/repositories", "{\"name\":\"" + repo + "\",\"storage_namespace\":\"mem://other\"}")
                .statusCode()).isEqualTo(409);
        assertThat(postJson("/repositories", "{\"id\":\"x-old-field\",\"storage_namespace\":\"mem://x\"}").statusCode())
                .isEqualTo(400);
        createRepository("current-shapes-2");
        JsonNode page = json(get("/repositories?prefix=current-shapes&amount=1"));
        assertThat(page.path("pagination").path("has_more").asBoolean()).isTrue();
        assertThat(page.path("pagination").path("next_offset").asText()).isEqualTo(repo);
        assertThat(page.path("pagination").path("max_per_page").asInt()).isEqualTo(1000);
        JsonNode last = json(get("/repositories?prefix=current-shapes&after=" + repo));
        assertThat(last.path("results").get(0).path("id").asText()).isEqualTo("current-shapes-2");
        assertThat(last.path("pagination").path("has_more").asBoolean()).isFalse();
        assertThat(last.path("pagination").has("next_offset")).isTrue();
        assertThat(last.path("pagination").path("next_offset").asText()).isEmpty();
        assertThat(json(get("/repositories?search=shapes-2")).path("results")).hasSize(1);
        assertThat(send(request("/repositories/current-shapes-2").DELETE().build()).statusCode()).isEqualTo(204);
        assertThat(get("/repositories/current-shapes-2").statusCode()).isEqualTo(404);
    }

    @Test
    void branchesAnswerRefsAndARawCommitId() throws Exception {
        String repo = createRepository("current-branches");
        HttpResponse<String> created = postJson("/repositories/" + repo + "/branches", "{\"name\":\"feature\",\"source\":\"main\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(created.body()).matches("[0-9a-f]{64}");
        JsonNode branch = json(get("/repositories/" + repo + "/branches/feature"));
        assertThat(branch.path("id").asText()).isEqualTo("feature");
        assertThat(branch.path("commit_id").asText()).isEqualTo(created.body());
        JsonNode list = json(get("/repositories/" + repo + "/branches?prefix=fea"));
        assertThat(list.path("results")).hasSize(1);
        assertThat(list.path("results").get(0).path("commit_id").asText()).isEqualTo(created.body());
        assertThat(postJson("/repositories/" + repo + "/branches", "{\"name\":\"feature\",\"source\":\"main\"}").statusCode())
                .isEqualTo(409);
        assertThat(send(request("/repositories/" + repo + "/branches/main").DELETE().build()).statusCode()).isEqualTo(403);
        assertThat(send(request("/repositories/" + repo + "/branches/feature").DELETE().build()).statusCode()).isEqualTo(204);
        assertThat(get("/repositories/" + repo + "/branches/feature").statusCode()).isEqualTo(404);
        assertThat(postJson("/repositories/" + repo + "/branches", "{\"name\":\"x\",\"source\":\"no-such-ref\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void objectsCommitsDiffsAndMerges() throws Exception {
        String repo = createRepository("current-objects");
        byte[] data = "hello, current API".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> uploaded = upload(repo, "main", "dir/hello.txt", data);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        JsonNode stats = json(uploaded);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        assertThat(stats.path("checksum").asText()).isEqualTo(md5);
        assertThat(stats.path("physical_address").asText()).startsWith("mem://" + repo + "/");
        assertThat(stats.path("mtime").asLong()).isBetween(1_600_000_000L, 4_000_000_000L);

        // a raw upload, with user metadata in headers and its content type
        HttpResponse<String> raw = send(request("/repositories/" + repo + "/branches/main/objects?path=" + q("dir/raw.csv"))
                .header("Content-Type", "text/csv").header("x-lakefs-meta-Owner", "ann")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n")).build());
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(201);
        JsonNode rawStats = json(get("/repositories/" + repo + "/refs/main/objects/stat?path=" + q("dir/raw.csv")));
        assertThat(rawStats.path("content_type").asText()).isEqualTo("text/csv");
        assertThat(rawStats.path("metadata").path("owner").asText()).isEqualTo("ann");
        assertThat(send(request("/repositories/" + repo + "/branches/main/objects?path=" + q("dir/raw.csv"))
                .header("If-None-Match", "*").POST(HttpRequest.BodyPublishers.ofString("x")).build()).statusCode())
                .isEqualTo(412);

        HttpResponse<String> part = send(request("/repositories/" + repo + "/refs/main/objects?path=" + q("dir/hello.txt"))
                .header("Range", "bytes=0-4").build());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("hello");
        HttpResponse<String> notModified = send(request("/repositories/" + repo + "/refs/main/objects?path=" + q("dir/hello.txt"))
                .header("If-None-Match", "\"" + md5 + "\"").build());
        assertThat(notModified.statusCode()).isEqualTo(304);
        HttpResponse<Void> head = CLIENT.send(request("/repositories/" + repo + "/refs/main/objects?path=" + q("dir/hello.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(data.length));
        assertThat(CLIENT.send(request("/repositories/" + repo + "/refs/main/objects?path=nope")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(404);

        HttpResponse<String> copy = postJson("/repositories/" + repo + "/branches/main/objects/copy?dest_path=" + q("copy/deep"),
                "{\"src_path\":\"dir/hello.txt\"}");
        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(201);
        assertThat(json(copy).path("checksum").asText()).isEqualTo(md5);
        assertThat(json(copy).path("physical_address").asText()).isNotEqualTo(stats.path("physical_address").asText());
        HttpResponse<String> shallow = postJson("/repositories/" + repo + "/branches/main/objects/copy?dest_path="
                + q("copy/shallow"), "{\"src_path\":\"dir/hello.txt\",\"src_ref\":\"main\",\"shallow\":true}");
        assertThat(json(shallow).path("physical_address").asText()).isEqualTo(stats.path("physical_address").asText());
        assertThat(get("/repositories/" + repo + "/refs/main/objects?path=" + q("copy/deep")).body()).isEqualTo("hello, current API");
        HttpResponse<Void> meta = CLIENT.send(request("/repositories/" + repo + "/branches/main/objects/stat/user_metadata?path="
                + q("copy/deep")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"set\":{\"color\":\"blue\"}}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(meta.statusCode()).isEqualTo(204);
        assertThat(json(get("/repositories/" + repo + "/refs/main/objects/stat?path=" + q("copy/deep")))
                .path("metadata").path("color").asText()).isEqualTo("blue");
        assertThat(postJson("/repositories/" + repo + "/branches/main/objects/delete",
                "{\"paths\":[\"copy/deep\",\"copy/shallow\"]}").statusCode()).isEqualTo(200);

        JsonNode flat = json(get("/repositories/" + repo + "/refs/main/objects/ls"));
        assertThat(flat.path("results")).hasSize(2);
        JsonNode grouped = json(get("/repositories/" + repo + "/refs/main/objects/ls?delimiter=/"));
        assertThat(grouped.path("results").get(0).path("path_type").asText()).isEqualTo("common_prefix");
        assertThat(grouped.path("results").get(0).path("path").asText()).isEqualTo("dir/");

        JsonNode uncommitted = json(get("/repositories/" + repo + "/branches/main/diff"));
        assertThat(uncommitted.path("results")).hasSize(2);
        assertThat(uncommitted.path("results").get(0).path("type").asText()).isEqualTo("added");
        JsonNode byPrefix = json(get("/repositories/" + repo + "/branches/main/diff?delimiter=/"));
        assertThat(byPrefix.path("results")).hasSize(1);
        assertThat(byPrefix.path("results").get(0).path("type").asText()).isEqualTo("prefix_changed");

        String first = commit(repo, "main", "first");
        JsonNode commitJson = json(get("/repositories/" + repo + "/commits/" + first));
        assertThat(commitJson.path("meta_range_id").isTextual()).isTrue();
        assertThat(commitJson.path("committer").asText()).isEqualTo("tester");
        assertThat(postJson("/repositories/" + repo + "/branches/main/commits", "{\"message\":\"empty\"}").statusCode())
                .isEqualTo(400);

        postJson("/repositories/" + repo + "/branches", "{\"name\":\"feature\",\"source\":\"main\"}");
        upload(repo, "feature", "dir/new.txt", "new".getBytes(StandardCharsets.US_ASCII));
        commit(repo, "feature", "on feature");
        // lakeFS's direction: diff(main, feature) shows what feature changed
        JsonNode diff = json(get("/repositories/" + repo + "/refs/main/diff/feature"));
        assertThat(diff.path("results")).hasSize(1);
        assertThat(diff.path("results").get(0).path("path").asText()).isEqualTo("dir/new.txt");
        assertThat(diff.path("results").get(0).path("type").asText()).isEqualTo("added");
        assertThat(json(get("/repositories/" + repo + "/refs/feature/diff/main")).path("results")).isEmpty();
        JsonNode twoDot = json(get("/repositories/" + repo + "/refs/feature/diff/main?type=two_dot"));
        assertThat(twoDot.path("results").get(0).path("type").asText()).isEqualTo("removed");

        JsonNode mergeBase = json(get("/repositories/" + repo + "/refs/feature/merge/main"));
        assertThat(mergeBase.path("base_commit_id").asText()).isEqualTo(first);
        assertThat(mergeBase.path("destination_commit_id").asText()).isEqualTo(first);
        assertThat(mergeBase.path("source_commit_id").asText()).matches("[0-9a-f]{64}").isNotEqualTo(first);
        HttpResponse<String> merged = postJson("/repositories/" + repo + "/refs/feature/merge/main", "{}");
        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
        String reference = json(merged).path("reference").asText();
        assertThat(reference).matches("[0-9a-f]{64}");
        JsonNode log = json(get("/repositories/" + repo + "/refs/main/commits?amount=2"));
        assertThat(log.path("results").get(0).path("id").asText()).isEqualTo(reference);
        assertThat(log.path("pagination").path("has_more").asBoolean()).isTrue();
        JsonNode limited = json(get("/repositories/" + repo + "/refs/main/commits?amount=1&limit=true"));
        assertThat(limited.path("pagination").path("has_more").asBoolean()).isFalse();
        assertThat(postJson("/repositories/" + repo + "/refs/feature/merge/main", "{}").statusCode()).isEqualTo(400);

        HttpResponse<String> deleted = postJson("/repositories/" + repo + "/branches/main/objects/delete",
                "{\"paths\":[\"dir/hello.txt\",\"never-existed\"]}");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).path("errors")).isEmpty();
        assertThat(get("/repositories/" + repo + "/refs/main/objects/stat?path=" + q("dir/hello.txt")).statusCode())
                .isEqualTo(404);
        HttpResponse<Void> reset = CLIENT.send(request("/repositories/" + repo + "/branches/main")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"reset\"}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(get("/repositories/" + repo + "/refs/main/objects/stat?path=" + q("dir/hello.txt")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void conflictsAndRevertsAndTags() throws Exception {
        String repo = createRepository("current-conflicts");
        upload(repo, "main", "a", "1".getBytes(StandardCharsets.US_ASCII));
        String base = commit(repo, "main", "base");
        postJson("/repositories/" + repo + "/branches", "{\"name\":\"other\",\"source\":\"main\"}");
        upload(repo, "main", "a", "2".getBytes(StandardCharsets.US_ASCII));
        commit(repo, "main", "main side");
        upload(repo, "other", "a", "3".getBytes(StandardCharsets.US_ASCII));
        commit(repo, "other", "other side");
        HttpResponse<String> conflict = postJson("/repositories/" + repo + "/refs/other/merge/main", "{}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).path("message").asText()).contains("conflict");
        assertThat(postJson("/repositories/" + repo + "/refs/other/merge/main", "{\"strategy\":\"source-wins\"}")
                .statusCode()).isEqualTo(200);

        HttpResponse<String> tag = postJson("/repositories/" + repo + "/tags", "{\"id\":\"v1\",\"ref\":\"" + base + "\"}");
        assertThat(tag.statusCode()).isEqualTo(201);
        assertThat(json(tag).path("commit_id").asText()).isEqualTo(base);
        assertThat(postJson("/repositories/" + repo + "/tags", "{\"id\":\"v1\",\"ref\":\"main\"}").statusCode()).isEqualTo(409);
        assertThat(postJson("/repositories/" + repo + "/tags", "{\"id\":\"v1\",\"ref\":\"main\",\"force\":true}").statusCode())
                .isEqualTo(201);
        assertThat(json(get("/repositories/" + repo + "/tags")).path("results").get(0).path("id").asText()).isEqualTo("v1");
        assertThat(send(request("/repositories/" + repo + "/tags/v1").DELETE().build()).statusCode()).isEqualTo(204);

        String head = json(get("/repositories/" + repo + "/branches/main")).path("commit_id").asText();
        HttpResponse<String> revert = postJson("/repositories/" + repo + "/branches/main/revert",
                "{\"ref\":\"" + head + "\",\"parent_number\":1}");
        assertThat(revert.statusCode()).as(revert.body()).isEqualTo(204);
        assertThat(get("/repositories/" + repo + "/commits/main").body()).contains("Revert " + head);
    }

    @Test
    void basicBearerAndCookieAuthenticate() throws Exception {
        HttpResponse<String> anonymousUser = send(anonymous("/user").build());
        assertThat(anonymousUser.statusCode()).isEqualTo(401);
        assertThat(anonymousUser.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> bad = send(anonymous("/auth/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"access_key_id\":\"" + KEY + "\",\"secret_access_key\":\"wrong\"}"))
                .build());
        assertThat(bad.statusCode()).isEqualTo(401);
        HttpResponse<String> login = send(anonymous("/auth/login").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"access_key_id\":\"" + KEY + "\",\"secret_access_key\":\""
                        + SECRET + "\"}")).build());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = json(login).path("token").asText();
        assertThat(json(login).path("token_expiration").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                c -> assertThat(c).startsWith("internal_auth_session=" + token).contains("HttpOnly"));

        JsonNode viaBearer = json(send(anonymous("/user").header("Authorization", "Bearer " + token).build()));
        assertThat(viaBearer.path("user").path("id").asText()).isEqualTo("tester");
        JsonNode viaCookie = json(send(anonymous("/user").header("Cookie", "a=b; internal_auth_session=" + token).build()));
        assertThat(viaCookie.path("user").path("id").asText()).isEqualTo("tester");
        assertThat(json(get("/user")).path("user").path("creation_date").isIntegralNumber()).isTrue();
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertThat(send(anonymous("/user").header("Authorization", "Bearer " + tampered).build()).statusCode()).isEqualTo(401);
        assertThat(send(anonymous("/user").header("Authorization", "Digest x").build()).statusCode()).isEqualTo(401);
    }

    @Test
    void setupStateConfigHealthAndUnknownPaths() throws Exception {
        JsonNode state = json(send(anonymous("/setup_lakefs").build()));
        assertThat(state.path("state").asText()).isEqualTo("initialized");
        HttpResponse<String> again = send(anonymous("/setup_lakefs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"someone\"}")).build());
        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode config = json(get("/config"));
        assertThat(config.path("storage_config").path("pre_sign_support").asBoolean(true)).isFalse();
        assertThat(config.path("storage_config").path("blockstore_type").asText()).isEqualTo("mem");
        assertThat(config.path("version_config").path("version").asText()).isEqualTo(CurrentSurface.LAKEFS_VERSION);
        assertThat(config.path("version_config").path("version_context").asText()).isEqualTo("tarn dev");
        assertThat(send(anonymous("/healthcheck").build()).statusCode()).isEqualTo(204);
        assertThat(json(get("/config/version")).path("version").asText()).isEqualTo("1.84.0");
        assertThat(json(get("/config/storage")).path("blockstore_namespace_ValidityRegex").asText()).isEqualTo("^mem://");
        createRepository("current-metadata");
        assertThat(get("/repositories/current-metadata/metadata").body()).isEqualTo("{}");
        HttpResponse<String> cherry = postJson("/repositories/current-metadata/branches/main/cherry-pick", "{\"ref\":\"main\"}");
        assertThat(cherry.statusCode()).isEqualTo(400);
        assertThat(json(cherry).path("message").asText()).contains("no parent");
        HttpResponse<String> staging = get("/repositories/current-metadata/branches/main/staging/backing?path=x");
        assertThat(staging.statusCode()).isEqualTo(200);
        assertThat(json(staging).path("physical_address").asText()).startsWith("mem://");
        assertThat(get("/repositories/current-metadata/branches/main/staging/backing?path=x&presign=true").statusCode())
                .isEqualTo(501);
        assertThat(send(request("/repositories/current-metadata/branches/main/import?id=1").DELETE().build()).statusCode())
                .isEqualTo(404);

        HttpResponse<String> unknown = get("/no/such/thing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("message").asText()).contains("no such API path");
        assertThat(get("/repositories?amount=x").statusCode()).isEqualTo(400);
        assertThat(get("/repositories/NOT_VALID").statusCode()).isEqualTo(400);
    }

    @Test
    void pagesOfBranchesCoverEverythingOnce() throws Exception {
        String repo = createRepository("current-paging");
        for (int i = 0; i < 25; i++) {
            postJson("/repositories/" + repo + "/branches", "{\"name\":\"b" + (100 + i) + "\",\"source\":\"main\"}");
        }
        List<String> seen = new ArrayList<>();
        String after = "";
        for (int pages = 0; pages < 10; pages++) {
            JsonNode page = json(get("/repositories/" + repo + "/branches?prefix=b&amount=10&after=" + q(after)));
            page.path("results").forEach(r -> seen.add(r.path("id").asText()));
            assertThat(page.path("pagination").path("results").asInt()).isEqualTo(page.path("results").size());
            if (!page.path("pagination").path("has_more").asBoolean()) {
                assertThat(page.path("pagination").path("next_offset").asText()).isEmpty();
                break;
            }
            after = page.path("pagination").path("next_offset").asText();
        }
        assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
        assertThat(json(get("/repositories/" + repo + "/branches")).path("results")).hasSize(26);
        assertThat(json(get("/repositories/" + repo + "/branches?amount=0")).path("results")).hasSize(26);
    }
}
