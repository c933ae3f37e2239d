package io.tarn.kv.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for tests, one per test JVM, and a fresh schema in it for every store a test
 * opens (so stores start empty and never see each other's keys unless a test wants them to).
 *
 * <p>Where the database is: the JDBC or {@code postgres://} URL in the environment variable
 * {@value #ENV} (or the system property {@value #PROPERTY}); {@code scripts/test-all.sh} starts a
 * throw-away cluster and sets it. Without it the fixture starts one itself with
 * {@code scripts/postgres.sh} (stopped when this JVM exits). If that fails too, tests that need
 * PostgreSQL fail when the environment variable {@code CI} is {@code true} and are skipped, with the
 * reason, anywhere else.
 */
public final class PostgresFixture {

    public static final String ENV = "TARN_TEST_POSTGRES_URL";
    public static final String PROPERTY = "tarn.test.postgres.url";

    private static PostgresFixture shared;
    private static String unavailable;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final String connectionString;
    private final PostgresConfig.Jdbc jdbc;

    private PostgresFixture(String connectionString) {
        this.connectionString = connectionString;
        this.jdbc = PostgresConfig.of(connectionString).jdbc();
    }

    /** The database of this JVM; skips (or in CI fails) the calling test when there is none. */
    public static synchronized PostgresFixture shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = locate();
            } catch (RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        if (shared == null) {
            String why = "PostgreSQL is not available for the tests: " + unavailable
                    + " (set " + ENV + " to a JDBC URL, or install PostgreSQL's server binaries)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI=true, so this is a failure, not a skip");
            }
            Assumptions.abort(why);
        }
        return shared;
    }

    private static PostgresFixture locate() {
        String given = System.getProperty(PROPERTY, System.getenv(ENV));
        PostgresFixture f = new PostgresFixture(given != null && !given.isBlank() ? given.strip() : start());
        try (Connection c = f.admin(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + f.jdbc.safeUrl() + ": " + e.getMessage(), e);
        }
        return f;
    }

    /** Starts a cluster with scripts/postgres.sh; returns its JDBC URL. */
    private static String start() {
        Path root = Path.of("").toAbsolutePath();
        Path script = root.resolve("scripts/postgres.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no " + ENV + " and no scripts/postgres.sh in " + root);
        }
        Path dir = root.resolve("target/postgres-tests-" + ProcessHandle.current().pid());
        try {
            Path log = Files.createTempFile("tarn-postgres-start", ".log");
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "start", "0", dir.toString())
                    .redirectError(log.toFile());
            pb.environment().put("POSTGRES_WATCH_PID", String.valueOf(ProcessHandle.current().pid()));
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
                p.destroyForcibly();
                String err = Files.readString(log).strip();
                throw new IllegalStateException("scripts/postgres.sh start failed: " + (err.isEmpty() ? "no output" : err));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, dir)));
            return out.lines().reduce((a, b) -> b).orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/postgres.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    private static void stop(Path script, Path dir) {
        try {
            new ProcessBuilder("bash", script.toString(), "stop", "0", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // the watcher started with the cluster stops it anyway once this JVM is gone
        }
    }

    /** A new connection to the database as the test user (close it). */
    public Connection admin() throws SQLException {
        return DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
    }

    /** A new, empty schema; stores opened with {@link #config(String)} of it share its data. */
    public String newSchema() {
        String schema = "tarn_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
        }
        return schema;
    }

    /** Settings of a store in {@code schema}: a small pool, connections dropped after a minute. */
    public PostgresConfig config(String schema) {
        String sep = connectionString.contains("?") ? "&" : "?";
        return new PostgresConfig(connectionString + sep + "currentSchema=" + schema, 12, 2, Duration.ofMinutes(1));
    }

    /** The connection string (JDBC or postgres:// form) of the database itself. */
    public String connectionString() {
        return connectionString;
    }
}
