package io.tarn.server;

import io.tarn.api.classic.ClassicApi;
import io.tarn.api.classic.SystemOperations;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.Authenticator;
import io.tarn.api.http.HttpServer;
import io.tarn.api.http.Operations;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.SecretBox;
import io.tarn.block.BlockStore;
import io.tarn.config.TarnConfig;
import io.tarn.engine.Engine;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.error.AlreadyExistsException;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a running Tarn: metadata store, block store, engine, auth and the HTTP server, from a
 * {@link TarnConfig}. Closing stops HTTP first (in-flight requests finish), then the engine and the
 * stores.
 */
public final class TarnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TarnServer.class);
    static final String DOCUMENT = "/api/swagger.json";

    /** Makes the engine over the opened stores. */
    @FunctionalInterface
    public interface EngineFactory {
        Engine open(KvStore kv, BlockStore blocks, TarnConfig config) throws Exception;
    }

    private final Deque<AutoCloseable> resources;
    private final HttpServer http;
    private final AuthService auth;

    private TarnServer(Deque<AutoCloseable> resources, HttpServer http, AuthService auth) {
        this.resources = resources;
        this.http = http;
        this.auth = auth;
    }

    /** Starts everything, without {@code --quickstart}: see {@link #start(TarnConfig, EngineFactory, PrintWriter, boolean)}. */
    public static TarnServer start(TarnConfig config, EngineFactory engines, PrintWriter console) throws Exception {
        return start(config, engines, console, false);
    }

    /**
     * Starts everything. Installs the {@code installation.*} admin. A store without an admin waits
     * for setup (setupLakeFS, or {@code tarn setup} while stopped), answering authenticated calls with
     * 401; with {@code quickstart} the admin {@code admin} is created instead and its key printed once
     * on {@code console} — only after the port is bound, so a failed start shows and spends no key.
     */
    public static TarnServer start(TarnConfig config, EngineFactory engines, PrintWriter console, boolean quickstart)
            throws Exception {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            AuthService auth = openAuth(config, opened);
            install(config, auth);
            BlockStore blocks = Stores.openBlocks(config);
            opened.push(blocks);
            Engine engine = engines.open(kvOf(opened), blocks, config);
            opened.push(engine);
            Operations operations = ClassicApi.operations(engine).addAll(SystemOperations.operations(auth));
            TarnConfig.HostPort listen = config.listen();
            HttpServer http = HttpServer.start(HttpServer.Settings.of(listen.host(), listen.port()), document(),
                    operations, requireSetUp(auth));
            opened.push(http);
            firstAdmin(auth, quickstart, console);
            return new TarnServer(opened, http, auth);
        } catch (Exception | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The 401 message of authenticated calls before the first admin exists. */
    public static final String NOT_SET_UP = "Tarn is not set up yet: create the first admin user with"
            + " POST /api/v0/setup_lakefs {\"username\": NAME}, or stop the server and run"
            + " 'tarn setup --user-name NAME' (or start it with 'tarn run --quickstart')";

    /** Checks credentials with {@code auth}, answering {@link #NOT_SET_UP} until there is an admin. */
    static Authenticator requireSetUp(AuthService auth) {
        AtomicBoolean setUp = new AtomicBoolean(); // once set up, always set up: no store read per request
        return (accessKeyId, secretAccessKey) -> {
            if (!setUp.get()) {
                if (!auth.isSetUp()) {
                    throw ApiException.unauthorized(NOT_SET_UP);
                }
                setUp.set(true);
            }
            return auth.authenticate(accessKeyId, secretAccessKey);
        };
    }

    /** The engine of a running server: range-file cache under committed.local_cache.*. */
    public static final EngineFactory DEFAULT_ENGINE =
            (kv, blocks, config) -> new TarnEngine(kv, blocks, engineConfig(config));

    static EngineConfig engineConfig(TarnConfig config) {
        EngineConfig defaults = EngineConfig.defaults(config.committed().localCacheDir());
        return new EngineConfig(defaults.cacheDir(), config.committed().localCacheSizeBytes(),
                defaults.memoryCacheBytes(), defaults.boundary(), defaults.maxRetries());
    }

    /** The metadata store and the auth service on it, for commands that need only those (setup). */
    public record AuthOnly(KvStore kv, AuthService auth) implements AutoCloseable {
        @Override
        public void close() {
            kv.close();
        }
    }

    public static AuthOnly openAuthOnly(TarnConfig config) throws IOException {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            AuthService auth = openAuth(config, opened);
            return new AuthOnly(kvOf(opened), auth);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static KvStore kvOf(Deque<AutoCloseable> opened) {
        for (AutoCloseable resource : opened) {
            if (resource instanceof KvStore kv) {
                return kv;
            }
        }
        throw new IllegalStateException("metadata store not open");
    }

    /** Opens the metadata store (pushed on {@code opened}) and the auth service on it. */
    static AuthService openAuth(TarnConfig config, Deque<AutoCloseable> opened) throws IOException {
        SecretKeys.Resolved secret = SecretKeys.resolve(config);
        LOG.info("secrets are encrypted with the key from {}", secret.origin());
        KvStore kv = KvStores.open(config.database().type(), config.database().localPath());
        opened.push(kv);
        return new AuthService(kv, new SecretBox(secret.key()));
    }

    /** The {@code installation.*} admin, when those settings are given. */
    static void install(TarnConfig config, AuthService auth) {
        TarnConfig.Installation installation = config.installation();
        if (installation.isSet()
                && auth.install(installation.userName(), installation.accessKeyId(), installation.secretAccessKey())) {
            LOG.info("installed admin user '{}' with access key {} from installation.*",
                    installation.userName(), installation.accessKeyId());
        }
    }

    /** On a store without an admin: the quickstart admin and its key, or one line on how to set up. */
    static void firstAdmin(AuthService auth, boolean quickstart, PrintWriter console) {
        if (auth.isSetUp()) {
            return;
        }
        if (!quickstart) {
            LOG.warn("Tarn is not set up yet: create the first admin user with POST /api/v0/setup_lakefs"
                    + " {\"username\": NAME}, or stop the server and run 'tarn setup --user-name NAME',"
                    + " or restart it with 'tarn run --quickstart'");
            return;
        }
        try {
            Credentials credentials = auth.setup(QUICKSTART_USER);
            printCredentials(console, "Tarn is set up (--quickstart): the admin user '" + QUICKSTART_USER
                    + "' was created.", credentials);
        } catch (AlreadyExistsException raced) {
            LOG.info("--quickstart: the first admin user was just created by setupLakeFS; no key is printed");
        }
    }

    /** The admin user {@code --quickstart} creates. */
    public static final String QUICKSTART_USER = "admin";

    /** Prints a new key in a box; the secret is never shown again. */
    public static void printCredentials(PrintWriter console, String headline, Credentials credentials) {
        console.println();
        console.println("==========================================================================");
        console.println(" " + headline);
        console.println(" Keep this secret access key now: it is shown only once.");
        console.println();
        console.println("   user:              " + credentials.userId());
        console.println("   access_key_id:     " + credentials.accessKeyId());
        console.println("   secret_access_key: " + credentials.secretAccessKey());
        console.println("==========================================================================");
        console.println();
        console.flush();
    }

    static byte[] document() throws IOException {
        try (InputStream in = TarnServer.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IOException("the API document " + DOCUMENT + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }

    /** The random id of this server process, answered by {@code /_health} in {@code X-Tarn-Instance}. */
    public String instanceId() {
        return http.instanceId();
    }

    public int port() {
        return http.port();
    }

    public AuthService auth() {
        return auth;
    }

    public void join() throws InterruptedException {
        http.join();
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
