package io.tarn.kv.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

    private static PostgresConfig.Jdbc jdbc(String s) {
        return PostgresConfig.of(s).jdbc();
    }

    @Test
    void lakeFsUrlsBecomeJdbcUrlsWithTheCredentialsBeside() {
        assertThat(jdbc("postgres://tarn:s3cret@db.example:5433/meta?sslmode=disable"))
                .isEqualTo(new PostgresConfig.Jdbc("jdbc:postgresql://db.example:5433/meta?sslmode=disable", "tarn", "s3cret"));
        assertThat(jdbc("postgresql://localhost/tarn"))
                .isEqualTo(new PostgresConfig.Jdbc("jdbc:postgresql://localhost/tarn", null, null));
        assertThat(jdbc("postgres://only-user@h:1/d"))
                .isEqualTo(new PostgresConfig.Jdbc("jdbc:postgresql://h:1/d", "only-user", null));
        // percent-encoded user info is decoded ('+' stays a plus)
        assertThat(jdbc("postgres://u%40corp:p%2Fa+ss%3A@h:5432/d").password()).isEqualTo("p/a+ss:");
        assertThat(jdbc("postgres://u%40corp:x@h:5432/d").user()).isEqualTo("u@corp");
        assertThat(jdbc("postgres://u:p@[::1]:5432/d").url()).isEqualTo("jdbc:postgresql://[::1]:5432/d");
    }

    @Test
    void jdbcUrlsPassThrough() {
        String url = "jdbc:postgresql://127.0.0.1:18700/tarn?user=tarn&password=pw";
        assertThat(jdbc(url)).isEqualTo(new PostgresConfig.Jdbc(url, null, null));
        assertThat(jdbc(url).safeUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:18700/tarn?user=tarn&password=***");
    }

    @Test
    void badStringsAreClearErrorsWithoutThePassword() {
        assertThatThrownBy(() -> jdbc("")).hasMessageContaining("connection_string is not set");
        assertThatThrownBy(() -> jdbc("mysql://u:topsecret@h/d"))
                .hasMessageContaining("postgres:// URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret"));
        assertThat(PostgresConfig.of("postgres://u:topsecret@h/d").toString()).doesNotContain("topsecret");
    }

    @Test
    void poolBoundsAreChecked() {
        assertThatThrownBy(() -> new PostgresConfig("postgres://h/d", 0, 0, Duration.ZERO))
                .hasMessageContaining("max_open_connections");
        assertThatThrownBy(() -> new PostgresConfig("postgres://h/d", 1, -1, Duration.ZERO))
                .hasMessageContaining("max_idle_connections");
        assertThatThrownBy(() -> new PostgresConfig("postgres://h/d", 1, 1, Duration.ofSeconds(-1)))
                .hasMessageContaining("connection_max_lifetime");
    }
}
