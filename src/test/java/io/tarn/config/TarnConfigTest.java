package io.tarn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.util.HomePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarnConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("tarn.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaults() {
        TarnConfig config = TarnConfig.load(null, Map.of(), Map.of()).config();
        assertThat(config.listenAddress()).isEqualTo("0.0.0.0:8000");
        assertThat(config.listen()).isEqualTo(new TarnConfig.HostPort("0.0.0.0", 8000));
        assertThat(config.database().type()).isEqualTo("local");
        assertThat(config.database().localPath()).isEqualTo(HomePaths.home().resolve("tarn/metadata"));
        assertThat(config.blockstore().type()).isEqualTo("local");
        assertThat(config.blockstore().localPath()).isEqualTo(HomePaths.home().resolve("tarn/data"));
        assertThat(config.committed().localCacheDir()).isEqualTo(HomePaths.home().resolve("tarn/cache"));
        assertThat(config.committed().localCacheSizeBytes()).isEqualTo(1L << 30);
        assertThat(config.encryptSecretKey()).isEmpty();
        assertThat(config.installation().isSet()).isFalse();
        assertThat(config.blockstore().s3()).isEqualTo(new TarnConfig.S3(null, null, false, null, null));
    }

    @Test
    void gcSettings() {
        TarnConfig.Gc d = TarnConfig.load(null, Map.of(), Map.of()).config().gc();
        assertThat(d.schedule()).isNull();
        assertThat(d.grace()).isEqualTo(java.time.Duration.ofHours(6));
        TarnConfig.Gc set = TarnConfig.load(null, Map.of("TARN_GC_SCHEDULE", "24h"), Map.of("gc.grace", "90m"))
                .config().gc();
        assertThat(set.schedule()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(set.grace()).isEqualTo(java.time.Duration.ofMinutes(90));
        for (String bad : new String[] {"30s", "daily", "-1h"}) {
            assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("gc.schedule", bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("gc.schedule");
        }
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("gc.grace", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gc.grace");
    }

    @Test
    void loginDurationIsAGoStyleDuration() {
        assertThat(TarnConfig.load(null, Map.of(), Map.of()).config().auth().loginDuration())
                .isEqualTo(java.time.Duration.ofHours(168));
        assertThat(TarnConfig.load(null, Map.of(), Map.of("auth.login_duration", "1h30m")).config().auth().loginDuration())
                .isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(TarnConfig.parseDuration("k", "90s")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(TarnConfig.parseDuration("k", "1.5h")).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(TarnConfig.parseDuration("k", "250ms")).isEqualTo(java.time.Duration.ofMillis(250));
        for (String bad : new String[] {"", "168", "h", "0s", "-1h", "1d", "1h x"}) {
            assertThatThrownBy(() -> TarnConfig.parseDuration("auth.login_duration", bad)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("auth.login_duration");
        }
    }

    @Test
    void syncSettingsDefaultToDurableAndCanBeSwitchedOff() throws Exception {
        TarnConfig defaults = TarnConfig.load(null, Map.of(), Map.of()).config();
        assertThat(defaults.database().localSyncWrites()).isTrue();
        assertThat(defaults.blockstore().localSync()).isTrue();
        TarnConfig off = TarnConfig.load(null, Map.of("LAKEFS_DATABASE_LOCAL_SYNC_WRITES", "false"),
                Map.of("blockstore.local.sync", "FALSE")).config();
        assertThat(off.database().localSyncWrites()).isFalse();
        assertThat(off.blockstore().localSync()).isFalse();
        TarnConfig fromFile = TarnConfig.load(yaml("database:\n  local:\n    sync_writes: false\n"), Map.of(),
                Map.of("blockstore.local.sync", "")).config();
        assertThat(fromFile.database().localSyncWrites()).isFalse();
        assertThat(fromFile.blockstore().localSync()).as("an empty value keeps the durable default").isTrue();
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("database.local.sync_writes", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("database.local.sync_writes");
    }

    @Test
    void flagsBeatEnvBeatFileBeatDefaults() throws Exception {
        Path file = yaml("""
                listen_address: 127.0.0.1:7000
                database:
                  type: mem
                blockstore:
                  type: s3
                  s3:
                    region: eu-west-1
                    endpoint: http://file-endpoint
                    force_path_style: true
                auth:
                  encrypt:
                    secret_key: from-file
                """);
        Map<String, String> env = Map.of(
                "TARN_BLOCKSTORE_S3_ENDPOINT", "http://env-endpoint",
                "TARN_LISTEN_ADDRESS", "127.0.0.1:7001",
                "TARN_AUTH_ENCRYPT_SECRET_KEY", "from-env",
                "PATH", "/usr/bin");
        Map<String, String> flags = Map.of("listen_address", "127.0.0.1:9000", "blockstore.s3.region", "us-east-2");
        TarnConfig.Loaded loaded = TarnConfig.load(file, env, flags);
        TarnConfig config = loaded.config();
        assertThat(config.listen()).isEqualTo(new TarnConfig.HostPort("127.0.0.1", 9000)); // flag
        assertThat(config.blockstore().s3().region()).isEqualTo("us-east-2");              // flag over file
        assertThat(config.blockstore().s3().endpoint()).isEqualTo("http://env-endpoint");  // env over file
        assertThat(config.auth().encryptSecretKey()).isEqualTo("from-env");               // env over file
        assertThat(config.blockstore().s3().forcePathStyle()).isTrue();                    // file
        assertThat(config.database().type()).isEqualTo("mem");                             // file
        assertThat(config.blockstore().localPath().toString()).endsWith("data");          // default
        assertThat(loaded.warnings()).isEmpty();
        assertThat(config.toString()).doesNotContain("from-env");
    }

    @Test
    void envNamesAndFlagSpellings() {
        assertThat(TarnConfig.envName("blockstore.type")).isEqualTo("TARN_BLOCKSTORE_TYPE");
        assertThat(TarnConfig.envName("committed.local_cache.size_bytes")).isEqualTo("TARN_COMMITTED_LOCAL_CACHE_SIZE_BYTES");
        TarnConfig config = TarnConfig.load(null, Map.of("TARN_BLOCKSTORE_TYPE", "mem",
                        "TARN_DATABASE_LOCAL_PATH", "/tmp/x/meta"),
                Map.of("committed.local-cache.size-bytes", "42", "blockstore-local-path", "~/elsewhere")).config();
        assertThat(config.blockstore().type()).isEqualTo("mem");
        assertThat(config.database().localPath()).isEqualTo(Path.of("/tmp/x/meta"));
        assertThat(config.committed().localCacheSizeBytes()).isEqualTo(42);
        assertThat(config.blockstore().localPath()).isEqualTo(HomePaths.home().resolve("elsewhere"));
    }

    @Test
    void unknownKeysAreClearErrors() throws Exception {
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("blockstore.tpye", "s3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'blockstore.tpye' on the command line")
                .hasMessageContaining("blockstore.type");
        Path file = yaml("database:\n  kind: mem\n");
        assertThatThrownBy(() -> TarnConfig.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'database.kind' in " + file);
        // unknown TARN_ variables are warned about, not fatal (TARN_JAVA_OPTS belongs to the launcher)
        TarnConfig.Loaded loaded = TarnConfig.load(null, Map.of("TARN_NOPE", "1", "TARN_JAVA_OPTS", "-Xmx1g"), Map.of());
        assertThat(loaded.warnings()).containsExactly("ignoring environment variable TARN_NOPE: not a Tarn setting");
    }

    @Test
    void postgresSettingsHaveLakeFsKeysAndDefaults() throws Exception {
        TarnConfig defaults = TarnConfig.load(null, Map.of(), Map.of()).config();
        assertThat(defaults.database().postgres()).isEqualTo(new TarnConfig.Postgres(null, 25, 25, java.time.Duration.ofMinutes(5)));
        Path file = yaml("""
                database:
                  type: postgres
                  postgres:
                    connection_string: "postgres://tarn:s3cret@db:5432/tarn?sslmode=disable"
                    max_open_connections: 40
                    connection_max_lifetime: 1h30m
                """);
        TarnConfig config = TarnConfig.load(file,
                Map.of("LAKEFS_DATABASE_POSTGRES_MAX_IDLE_CONNECTIONS", "7"), Map.of()).config();
        assertThat(config.database().type()).isEqualTo("postgres");
        assertThat(config.database().postgres()).isEqualTo(new TarnConfig.Postgres(
                "postgres://tarn:s3cret@db:5432/tarn?sslmode=disable", 40, 7, java.time.Duration.ofMinutes(90)));
        assertThat(config.database().postgres().toString()).doesNotContain("s3cret");
        assertThat(TarnConfig.load(null, Map.of(), Map.of("database.postgres.connection_max_lifetime", "0")).config()
                .database().postgres().connectionMaxLifetime()).isZero();
    }

    @Test
    void badValuesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("database.type", "dynamodb")))
                .hasMessageContaining("database.type must be one of [local, mem, postgres], not 'dynamodb'");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("database.type", "postgres")))
                .hasMessageContaining("database.type postgres needs database.postgres.connection_string");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("database.postgres.max_open_connections", "0")))
                .hasMessageContaining("database.postgres.max_open_connections must be a whole number of at least 1");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("database.postgres.connection_max_lifetime", "5 minutes")))
                .hasMessageContaining("database.postgres.connection_max_lifetime must be a duration");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("blockstore.type", "gs")))
                .hasMessageContaining("blockstore.type must be one of [local, mem, s3]");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("listen_address", "8000")))
                .hasMessageContaining("listen_address must be host:port");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("listen_address", "h:99999")))
                .hasMessageContaining("0-65535");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("blockstore.s3.force_path_style", "yes")))
                .hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("committed.local_cache.size_bytes", "1GB")))
                .hasMessageContaining("must be a number of bytes");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of("TARN_INSTALLATION_USER_NAME", "admin"), Map.of()))
                .hasMessageContaining("must be set together");
        assertThatThrownBy(() -> TarnConfig.load(yaml("[1, 2]"), Map.of(), Map.of()))
                .hasMessageContaining("must hold a mapping");
        assertThatThrownBy(() -> TarnConfig.load(yaml("listen_address: [a, b]"), Map.of(), Map.of()))
                .hasMessageContaining("must be a single value");
        assertThatThrownBy(() -> TarnConfig.load(yaml("listen_address: {{"), Map.of(), Map.of()))
                .hasMessageContaining("cannot read config file");
        assertThatThrownBy(() -> TarnConfig.load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void installationSettingsAndIpv6() {
        TarnConfig config = TarnConfig.load(null, Map.of(
                "TARN_INSTALLATION_USER_NAME", "admin",
                "TARN_INSTALLATION_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
                "TARN_INSTALLATION_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                Map.of("listen_address", "[::1]:8001")).config();
        assertThat(config.installation()).isEqualTo(new TarnConfig.Installation("admin", "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assertThat(config.installation().toString()).doesNotContain("EXAMPLEKEY");
        assertThat(config.listen()).isEqualTo(new TarnConfig.HostPort("::1", 8001));
    }

    @Test
    void lakefsVariablesAreAliasesAndTarnWins() {
        TarnConfig.Loaded loaded = TarnConfig.load(null, Map.of(
                "LAKEFS_BLOCKSTORE_TYPE", "mem",
                "LAKEFS_DATABASE_LOCAL_PATH", "/srv/lakefs/metadata",
                "LAKEFS_AUTH_ENCRYPT_SECRET_KEY", "lakefs-secret",
                "TARN_AUTH_ENCRYPT_SECRET_KEY", "tarn-secret",
                "LAKEFS_LOGGING_LEVEL", "debug"), Map.of());
        TarnConfig config = loaded.config();
        assertThat(config.blockstore().type()).isEqualTo("mem");
        assertThat(config.database().localPath()).isEqualTo(Path.of("/srv/lakefs/metadata"));
        assertThat(config.encryptSecretKey()).contains("tarn-secret");
        assertThat(config.logging().level()).isEqualTo("DEBUG");
        assertThat(loaded.warnings()).containsExactly(
                "both TARN_AUTH_ENCRYPT_SECRET_KEY and LAKEFS_AUTH_ENCRYPT_SECRET_KEY are set: using"
                        + " TARN_AUTH_ENCRYPT_SECRET_KEY");
        assertThat(String.join("\n", loaded.warnings())).doesNotContain("secret-").doesNotContain("tarn-secret");
        // flags still beat both
        assertThat(TarnConfig.load(null, Map.of("LAKEFS_BLOCKSTORE_TYPE", "mem", "TARN_BLOCKSTORE_TYPE", "s3"),
                Map.of("blockstore.type", "local")).config().blockstore().type()).isEqualTo("local");
    }

    @Test
    void unknownLakefsVariablesAreWarnedAboutOneByOne() {
        TarnConfig.Loaded loaded = TarnConfig.load(null, Map.of(
                "LAKEFS_DATABASE_CONNECTION_STRING", "postgres://localhost:5432/postgres",
                "LAKEFS_GATEWAYS_S3_FALLBACK_URL", "http://elsewhere",
                "LAKEFS_GATEWAYS_S3_DOMAIN_NAME", "s3.example.test:8000",
                "TARN_NO_SUCH_KEY", "x",
                "LAKEFSX", "not ours",
                "TARN_JAVA_OPTS", "-Xmx256m"), Map.of());
        assertThat(loaded.warnings()).containsExactly(
                "ignoring environment variable LAKEFS_DATABASE_CONNECTION_STRING: not a Tarn setting",
                "ignoring environment variable LAKEFS_GATEWAYS_S3_FALLBACK_URL: not a Tarn setting",
                "ignoring environment variable TARN_NO_SUCH_KEY: not a Tarn setting");
        assertThat(loaded.config().gateways().s3DomainNames()).containsExactly("s3.example.test:8000");
    }

    @Test
    void gatewayDomainNamesAreAListFromYamlOrCommaSeparated(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(TarnConfig.defaultsOnly().gateways().s3DomainNames()).containsExactly("s3.local.lakefs.io");
        assertThat(TarnConfig.defaultsOnly().gateways().s3Region()).isEqualTo("us-east-1");
        assertThat(TarnConfig.load(null, Map.of("TARN_GATEWAYS_S3_DOMAIN_NAME", "a.test, b.test ,"), Map.of())
                .config().gateways().s3DomainNames()).containsExactly("a.test", "b.test");
        java.nio.file.Path yaml = dir.resolve("tarn.yaml");
        java.nio.file.Files.writeString(yaml, "gateways:\n  s3:\n    domain_name: [s3.one.test, s3.two.test]\n");
        assertThat(TarnConfig.load(yaml, Map.of(), Map.of()).config().gateways().s3DomainNames())
                .containsExactly("s3.one.test", "s3.two.test");
        java.nio.file.Files.writeString(yaml, "listen_address: [a, b]\n");
        assertThatThrownBy(() -> TarnConfig.load(yaml, Map.of(), Map.of())).hasMessageContaining("not a list");
    }

    @Test
    void loggingSettings() throws Exception {
        assertThat(TarnConfig.load(null, Map.of(), Map.of()).config().logging())
                .isEqualTo(new TarnConfig.Logging("text", "INFO", "-"))
                .isEqualTo(TarnConfig.Logging.defaults());
        TarnConfig.Logging fromFile = TarnConfig.load(yaml("logging:\n  format: JSON\n  level: warn\n  output: "
                + dir.resolve("tarn.log") + "\n"), Map.of(), Map.of()).config().logging();
        assertThat(fromFile).isEqualTo(new TarnConfig.Logging("json", "WARN", dir.resolve("tarn.log").toString()));
        for (String level : TarnConfig.Logging.LEVELS) {
            assertThat(TarnConfig.load(null, Map.of("TARN_LOGGING_LEVEL", level.toLowerCase()), Map.of())
                    .config().logging().level()).isEqualTo(level);
        }
        assertThat(TarnConfig.load(null, Map.of(), Map.of("logging.output", "=")).config().logging().output())
                .isEqualTo("=");
        assertThat(TarnConfig.load(null, Map.of(), Map.of("logging.output", "~/logs/tarn.log")).config().logging()
                .output()).isEqualTo(HomePaths.home().resolve("logs/tarn.log").toString());
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("logging.level", "verbose")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("logging.level must be one of [TRACE, DEBUG, INFO, WARN, ERROR, NONE]");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("logging.format", "xml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("logging.format must be one of [text, json]");
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("logging.output", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("logging.output must be");
    }

    @Test
    void httpLimits() {
        TarnConfig.Http defaults = TarnConfig.defaultsOnly().http();
        assertThat(defaults).isEqualTo(new TarnConfig.Http(java.time.Duration.ofSeconds(30), 4096, 256));
        TarnConfig.Http set = TarnConfig.load(null, Map.of("LAKEFS_HTTP_MAX_CONNECTIONS", "10"), Map.of(
                "http.request_header_timeout", "1m30s", "http.max_uploads_per_client", "2")).config().http();
        assertThat(set).isEqualTo(new TarnConfig.Http(java.time.Duration.ofSeconds(90), 10, 2));
        assertThat(TarnConfig.load(null, Map.of(), Map.of("http.request_header_timeout", "250ms")).config().http()
                .requestHeaderTimeout()).isEqualTo(java.time.Duration.ofMillis(250));
        for (String bad : new String[] {"", "30", "s", "0s", "-1s", "1x", "1s 2s", "1.5.5s"}) {
            assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("http.request_header_timeout", bad)))
                    .as(bad).hasMessageContaining("http.request_header_timeout must be a positive duration");
        }
        for (String bad : new String[] {"0", "-3", "many", "1.5"}) {
            assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("http.max_connections", bad)))
                    .as(bad).hasMessageContaining("http.max_connections must be a whole number of at least 1");
        }
    }
}
