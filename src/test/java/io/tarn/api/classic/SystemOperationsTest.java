package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.api.http.ApiDocument;
import io.tarn.api.http.HttpServer;
import io.tarn.api.http.Mount;
import io.tarn.api.http.RequestMatcher;
import io.tarn.api.http.RequestObserver;
import io.tarn.auth.BasicAuthenticator;
import io.tarn.api.http.Json;
import io.tarn.api.http.Operations;
import io.tarn.api.http.Router;
import io.tarn.auth.AuthService;
import io.tarn.auth.SecretBox;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** setupLakeFS, getCurrentUser, healthCheck and authentication, over HTTP, on the real API document. */
class SystemOperationsTest {
    private KvStore kv;
    private HttpServer server;
    private URI base;
    private final HttpClient client = HttpClient.newHttpClient();
    private byte[] document;

    @BeforeEach
    void start() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/api/swagger.json")) {
            document = in.readAllBytes();
        }
        kv = KvStores.open("mem", null);
        AuthService auth = new AuthService(kv, new SecretBox("system-operations-test"));
        Operations ops = ClassicApi.operations(new UnsupportedEngine()).addAll(SystemOperations.operations(auth))
                .addAll(AuthOperations.operations(auth));
        server = HttpServer.start(HttpServer.Settings.of("127.0.0.1", 0), List.of(new Mount(RequestMatcher.any(),
                ClassicSurface.create(document, ops, new BasicAuthenticator(auth)))), RequestObserver.NONE);
        base = URI.create("http://localhost:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        kv.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    private static String basic(String ak, String sk) {
        return "Basic " + Base64.getEncoder().encodeToString((ak + ":" + sk).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> setup(String body) throws Exception {
        return send(at("/api/v0/setup_lakefs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void theRealDocumentAndTheHandlersAreTheSameSet() throws Exception {
        ApiDocument parsed = ApiDocument.parse(document);
        assertThat(parsed.basePath()).isEqualTo("/api/v0");
        // without the system operations the router refuses, naming them
        assertThatThrownBy(() -> Router.build(parsed, ClassicApi.operations(new UnsupportedEngine())
                .addAll(AuthOperations.operations(new AuthService(KvStores.open("mem", null), new SecretBox("k"))))))
                .hasMessageContaining("operations without a handler [getCurrentUser, healthCheck, setupLakeFS]");
        // an extra handler is refused too
        Operations extra = ClassicApi.operations(new UnsupportedEngine()).addAll(AuthOperations.operations(new AuthService(KvStores.open("mem", null), new SecretBox("k"))))
                .addAll(SystemOperations.operations(null)).add("listWidgets", (rq, rs) -> rs.empty(204));
        assertThatThrownBy(() -> Router.build(parsed, extra)).hasMessageContaining("handlers not in the document [listWidgets]");
    }

    @Test
    void servesTheDocumentUnchanged() throws Exception {
        HttpResponse<byte[]> response = client.send(at("/swagger.json").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(document);
    }

    @Test
    void setupOnceThenConflictAndTheKeyWorks() throws Exception {
        HttpResponse<String> first = setup("{\"username\":\"admin\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode credentials = json(first);
        String ak = credentials.path("access_key_id").asText();
        String sk = credentials.path("access_secret_key").asText();
        assertThat(ak).matches("AKIAJ[A-Z2-7]{14}Q");
        assertThat(sk).hasSize(40);
        assertThat(credentials.path("creation_date").isIntegralNumber()).isTrue();

        HttpResponse<String> second = setup("{\"username\":\"admin2\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).path("message").asText()).isNotBlank();

        HttpResponse<String> user = send(at("/api/v0/user").header("Authorization", basic(ak, sk)));
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(json(user).path("user").path("id").asText()).isEqualTo("admin");
        assertThat(json(user).path("user").path("creation_date").asLong())
                .isEqualTo(credentials.path("creation_date").asLong());

        for (String header : new String[] {null, basic("AKIAJAAAAAAAAAAAAAAQ", sk), basic(ak, sk + "x"),
                "Basic not@base64", "Token " + ak}) {
            HttpRequest.Builder request = at("/api/v0/user");
            if (header != null) {
                request.header("Authorization", header);
            }
            HttpResponse<String> denied = send(request);
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(json(denied).path("message").asText()).isNotBlank();
        }
    }

    @Test
    void setupRefusesBadBodies() throws Exception {
        for (String body : new String[] {"{\"username\":\"\"}", "{}", "{\"username\":12}", "{\"username\":", ""}) {
            HttpResponse<String> response = setup(body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json(response).path("message").asText()).isNotBlank();
        }
        // nothing was set up by the failures
        assertThat(setup("{\"username\":\"admin\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void healthCheckNeedsNoCredentials() throws Exception {
        HttpResponse<String> response = send(at("/api/v0/healthcheck"));
        assertThat(response.statusCode()).isEqualTo(204);
    }
}
