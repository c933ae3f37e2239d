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
    void badValuesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> TarnConfig.load(null, Map.of(), Map.of("database.type", "postgres")))
                .hasMessageContaining("database.type must be one of [local, mem], not 'postgres'");
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
}
