package io.tarn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;
import io.tarn.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up wiring: stores, secret key, first admin, HTTP; the engine is a double that is never called. */
class TarnServerTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    static final TarnServer.EngineFactory NO_ENGINE = (kv, blocks, config) -> (Engine) Proxy.newProxyInstance(
            Engine.class.getClassLoader(), new Class<?>[] {Engine.class}, (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                    return null;
                }
                throw new AssertionError("engine not expected in this test: " + method.getName());
            });

    private TarnConfig config(Map<String, String> env, String... flags) {
        Map<String, String> f = new HashMap<>();
        f.put("listen_address", "127.0.0.1:0");
        f.put("database.local.path", dir.resolve("metadata").toString());
        f.put("blockstore.local.path", dir.resolve("data").toString());
        f.put("committed.local_cache.dir", dir.resolve("cache").toString());
        for (int i = 0; i < flags.length; i += 2) {
            f.put(flags[i], flags[i + 1]);
        }
        return TarnConfig.load(null, env, f).config();
    }

    private int status(TarnServer server, String path, String ak, String sk) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
        if (ak != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ak + ":" + sk).getBytes()));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> post(TarnServer server, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNewInstallationWaitsForSetupLakeFS() throws Exception {
        StringWriter console = new StringWriter();
        String ak;
        String sk;
        try (TarnServer server = TarnServer.start(config(Map.of()), NO_ENGINE, new PrintWriter(console, true))) {
            assertThat(console.toString()).doesNotContain("access_key");
            assertThat(server.auth().isSetUp()).isFalse();
            HttpResponse<String> before = client.send(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + server.port() + "/api/v0/user")).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("AKIAIOSFODNN7EXAMPLE:secret".getBytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).isEqualTo(401);
            assertThat(before.body()).contains("not set up yet").contains("setup_lakefs");
            assertThat(status(server, "/_health", null, null)).isEqualTo(200);

            HttpResponse<String> setup = post(server, "/api/v0/setup_lakefs", "{\"username\":\"jane\"}");
            assertThat(setup.statusCode()).as(setup.body()).isEqualTo(200);
            Matcher akm = Pattern.compile("\"access_key_id\":\"(AKIAJ[A-Z2-7]{14}Q)\"").matcher(setup.body());
            Matcher skm = Pattern.compile("\"access_secret_key\":\"(\\S{40})\"").matcher(setup.body());
            assertThat(akm.find()).as(setup.body()).isTrue();
            assertThat(skm.find()).as(setup.body()).isTrue();
            ak = akm.group(1);
            sk = skm.group(1).replace("\\/", "/");
            assertThat(status(server, "/api/v0/user", ak, sk)).isEqualTo(200);
            assertThat(status(server, "/api/v0/user", ak, sk + "x")).isEqualTo(401);
            assertThat(post(server, "/api/v0/setup_lakefs", "{\"username\":\"again\"}").statusCode()).isEqualTo(409);
        }
        Path keyFile = dir.resolve("metadata").resolve(SecretKeys.FILE_NAME);
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        try (TarnServer server = TarnServer.start(config(Map.of()), NO_ENGINE, new PrintWriter(console, true), true)) {
            assertThat(console.toString()).doesNotContain("access_key");
            assertThat(status(server, "/api/v0/user", ak, sk)).isEqualTo(200);
        }
    }

    @Test
    void quickstartCreatesTheAdminPrintsItsKeyOnceAndKeepsTheSecretKeyFile() throws Exception {
        StringWriter first = new StringWriter();
        String ak;
        String sk;
        try (TarnServer server = TarnServer.start(config(Map.of()), NO_ENGINE, new PrintWriter(first, true), true)) {
            Matcher akm = Pattern.compile("access_key_id: +(AKIAJ[A-Z2-7]{14}Q)").matcher(first.toString());
            Matcher skm = Pattern.compile("secret_access_key: +(\\S{40})").matcher(first.toString());
            assertThat(akm.find()).as(first.toString()).isTrue();
            assertThat(skm.find()).isTrue();
            assertThat(first.toString()).contains("user:              admin");
            ak = akm.group(1);
            sk = skm.group(1);
            assertThat(status(server, "/api/v0/user", ak, sk)).isEqualTo(200);
            assertThat(status(server, "/api/v0/user", ak, sk + "x")).isEqualTo(401);
            assertThat(post(server, "/api/v0/setup_lakefs", "{\"username\":\"x\"}").statusCode()).isEqualTo(409);
        }
        assertThat(dir.resolve("metadata").resolve(SecretKeys.FILE_NAME)).exists();

        StringWriter second = new StringWriter();
        try (TarnServer server = TarnServer.start(config(Map.of()), NO_ENGINE, new PrintWriter(second, true), true)) {
            assertThat(second.toString()).doesNotContain("access_key").doesNotContain(sk);
            assertThat(status(server, "/api/v0/user", ak, sk)).isEqualTo(200);
        }
    }

    @Test
    void aPortInUseShowsAndSpendsNoKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StringWriter console = new StringWriter();
            assertThatThrownBy(() -> TarnServer.start(config(Map.of(), "listen_address",
                    "127.0.0.1:" + taken.getLocalPort()), NO_ENGINE, new PrintWriter(console, true), true))
                    .isInstanceOf(BindException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
            assertThat(console.toString()).isEmpty();
        }
        StringWriter console = new StringWriter();
        try (TarnServer server = TarnServer.start(config(Map.of()), NO_ENGINE, new PrintWriter(console, true), true)) {
            assertThat(console.toString()).contains("secret_access_key:"); // the store was still new
        }
    }

    @Test
    void installationCredentialsAreInstalledAsGiven() throws Exception {
        Map<String, String> env = Map.of(
                "TARN_INSTALLATION_USER_NAME", "admin",
                "TARN_INSTALLATION_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
                "TARN_INSTALLATION_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "TARN_AUTH_ENCRYPT_SECRET_KEY", "a configured key");
        for (int run = 0; run < 2; run++) {
            StringWriter out = new StringWriter();
            try (TarnServer server = TarnServer.start(config(env), NO_ENGINE, new PrintWriter(out, true))) {
                assertThat(out.toString()).doesNotContain("access_key_id");
                assertThat(status(server, "/api/v0/user", "AKIAIOSFODNN7EXAMPLE",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isEqualTo(200);
                HttpResponse<String> setup = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/api/v0/setup_lakefs"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"x\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(setup.statusCode()).isEqualTo(409);
            }
        }
        // the configured key was used: no key file was written
        assertThat(dir.resolve("metadata").resolve(SecretKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void inMemoryStoresNeedNoSecretKeyButS3NeedsOne() throws Exception {
        try (TarnServer server = TarnServer.start(config(Map.of(), "database.type", "mem", "blockstore.type", "mem"),
                NO_ENGINE, new PrintWriter(new StringWriter(), true))) {
            assertThat(status(server, "/_health", null, null)).isEqualTo(200);
        }
        assertThatThrownBy(() -> TarnServer.start(config(Map.of(), "blockstore.type", "s3"), NO_ENGINE,
                new PrintWriter(new StringWriter(), true)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.encrypt.secret_key is required")
                .hasMessageContaining("TARN_AUTH_ENCRYPT_SECRET_KEY");
    }

    @Test
    void aFailedStartReleasesWhatItOpened() throws Exception {
        TarnServer.EngineFactory failing = (kv, blocks, config) -> {
            throw new IllegalStateException("engine failed to open");
        };
        assertThatThrownBy(() -> TarnServer.start(config(Map.of()), failing, new PrintWriter(new StringWriter())))
                .hasMessageContaining("engine failed to open");
        // the RocksDB lock was released: the store opens again
        try (TarnServer server = TarnServer.start(config(Map.of()), NO_ENGINE, new PrintWriter(new StringWriter()))) {
            assertThat(status(server, "/_health", null, null)).isEqualTo(200);
        }
    }

    @Test
    void theRealEngineServesTheClassicApiEndToEnd() throws Exception {
        StringWriter out = new StringWriter();
        try (TarnServer server = TarnServer.start(config(Map.of(
                        "TARN_INSTALLATION_USER_NAME", "admin",
                        "TARN_INSTALLATION_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
                        "TARN_INSTALLATION_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
                TarnServer.DEFAULT_ENGINE, new PrintWriter(out, true))) {
            String auth = "Basic " + Base64.getEncoder().encodeToString(
                    "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes());
            URI base = URI.create("http://localhost:" + server.port());
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(base.resolve("/api/v0/repositories"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"repo1\",\"storage_namespace\":\"local://repo1\","
                            + "\"default_branch\":\"main\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String boundary = "0123456789abcdef0123456789abcdef";
            String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\""
                    + "\r\n\r\na,b\n1,2\n\r\n--" + boundary + "--\r\n";
            HttpResponse<String> uploaded = client.send(HttpRequest.newBuilder(base.resolve(
                            "/api/v0/repositories/repo1/branches/main/objects?path=path%2Fto%2Ffile.csv"))
                    .header("Authorization", auth).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            HttpResponse<String> read = client.send(HttpRequest.newBuilder(base.resolve(
                            "/api/v0/repositories/repo1/refs/main/objects?path=path%2Fto%2Ffile.csv"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("a,b\n1,2\n");
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(base.resolve(
                    "/api/v0/repositories/nope")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).startsWith("{\"message\":");
        }
    }
}
