package io.tarn.server;

import io.tarn.api.http.AccessLog;
import io.tarn.api.http.HttpServer;
import io.tarn.api.http.RequestObserver;
import io.tarn.api.system.MetricsSurface;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.SecretBox;
import io.tarn.block.BlockStore;
import io.tarn.config.LogOutputs;
import io.tarn.config.TarnConfig;
import io.tarn.engine.Engine;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.error.AlreadyExistsException;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import io.tarn.kv.postgres.PostgresConfig;
import io.tarn.metrics.TarnMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a running Tarn: metadata store, block store, engine, auth and the HTTP server, from a
 * {@link TarnConfig}. Closing stops HTTP first (in-flight requests finish), then the engine and the
 * stores.
 */
public final class TarnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TarnServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER);

    /** Makes the engine over the opened stores. */
    @FunctionalInterface
    public interface EngineFactory {
        Engine open(KvStore kv, BlockStore blocks, TarnConfig config) throws Exception;
    }

    private final Deque<AutoCloseable> resources;
    private final HttpServer http;
    private final AuthService auth;
    private final String instanceId;

    private TarnServer(Deque<AutoCloseable> resources, HttpServer http, AuthService auth, String instanceId) {
        this.resources = resources;
        this.http = http;
        this.auth = auth;
        this.instanceId = instanceId;
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
            TarnMetrics metrics = TarnMetrics.create();
            opened.push(metrics);
            AuthService auth = openAuth(config, opened, metrics::timed);
            install(config, auth);
            BlockStore blocks = metrics.timed(Stores.openBlocks(config));
            opened.push(blocks);
            Engine engine = engines.open(kvOf(opened), blocks, config);
            opened.push(engine);
            metrics.monitorCaches(auth.caches());
            if (engine instanceof TarnEngine tarnEngine) {
                metrics.monitorCaches(tarnEngine.caches());
                if (config.gc().schedule() != null) {
                    opened.push(io.tarn.gc.GcScheduler.start(engine, new io.tarn.gc.GarbageCollector(tarnEngine.gcAccess(),
                                    io.tarn.gc.GcScheduler.workDir(config.committed().localCacheDir())),
                            config.gc().schedule(), io.tarn.gc.GcOptions.defaults().withGrace(config.gc().grace())));
                }
            }
            String instanceId = UUID.randomUUID().toString();
            RequestObserver observer = record -> metrics.requestFinished(record.surface(), record.operation(),
                    record.status(), record.durationNanos(), record.bytesIn(), record.bytesOut());
            if (ACCESS.isInfoEnabled()) {
                AccessLog accessLog = AccessLog.to(LogOutputs.open(config.logging().output()),
                        config.logging().format().equals("json") ? AccessLog.Format.JSON : AccessLog.Format.TEXT);
                opened.push(accessLog);
                observer = accessLog.andThen(observer);
            }
            TarnConfig.HostPort listen = config.listen();
            TarnConfig.Http limits = config.http();
            HttpServer http = HttpServer.start(HttpServer.Settings.of(listen.host(), listen.port()).withLimits(
                            limits.requestHeaderTimeout(), limits.maxConnections(), limits.maxUploadsPerClient()),
                    Doors.mounts(config, engine, auth, instanceId, metricsSource(metrics)), observer);
            opened.push(http);
            firstAdmin(auth, quickstart, console);
            return new TarnServer(opened, http, auth, instanceId);
        } catch (Exception | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    /** {@code /metrics} serves the scrape of {@code metrics}. */
    private static MetricsSurface.Source metricsSource(TarnMetrics metrics) {
        return new MetricsSurface.Source() {
            @Override
            public String contentType() {
                return metrics.contentType();
            }

            @Override
            public void scrape(OutputStream out) throws IOException {
                metrics.scrape(out);
            }
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

    /**
     * The stores and an engine over them for {@code tarn gc run}: the engine's range cache lives in a
     * fresh temporary folder (a running server sharing PostgreSQL keeps its own), removed on close.
     */
    public record EngineOnly(KvStore kv, BlockStore blocks, TarnEngine engine, java.nio.file.Path workDir)
            implements AutoCloseable {
        @Override
        public void close() {
            engine.close();
            blocks.close();
            kv.close();
            try (var files = java.nio.file.Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder
            }
        }
    }

    public static EngineOnly openEngine(TarnConfig config) throws IOException {
        KvStore kv = KvStores.open(config.database().type(), config.database().localPath(),
                config.database().localSyncWrites(), postgres(config.database().postgres()));
        BlockStore blocks = null;
        try {
            blocks = Stores.openBlocks(config);
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("tarn-gc-");
            EngineConfig defaults = EngineConfig.defaults(work.resolve("cache"));
            return new EngineOnly(kv, blocks, new TarnEngine(kv, blocks, defaults.withMemoryCacheBytes(64L << 20)), work);
        } catch (IOException | RuntimeException e) {
            if (blocks != null) {
                blocks.close();
            }
            kv.close();
            throw e;
        }
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
            AuthService auth = openAuth(config, opened, kv -> kv);
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
    static AuthService openAuth(TarnConfig config, Deque<AutoCloseable> opened, UnaryOperator<KvStore> wrap)
            throws IOException {
        SecretKeys.Resolved secret = SecretKeys.resolve(config);
        LOG.info("secrets are encrypted with the key from {}", secret.origin());
        SecretBox box = new SecretBox(secret.key()); // derives its key while the store opens
        KvStore kv = wrap.apply(KvStores.open(config.database().type(), config.database().localPath(),
                config.database().localSyncWrites(), postgres(config.database().postgres())));
        opened.push(kv);
        return new AuthService(kv, box);
    }

    /** The PostgreSQL store's settings, or {@code null} when no connection string is set. */
    static PostgresConfig postgres(TarnConfig.Postgres p) {
        return p.connectionString() == null ? null : new PostgresConfig(p.connectionString(),
                p.maxOpenConnections(), p.maxIdleConnections(), p.connectionMaxLifetime());
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

    /** The random id of this server process, answered by {@code /_health} in {@code X-Tarn-Instance}. */
    public String instanceId() {
        return instanceId;
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
