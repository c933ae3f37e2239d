package io.tarn.kv.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the PostgreSQL metadata database, with lakeFS's settings:
 * {@code database.postgres.connection_string}, {@code max_open_connections},
 * {@code max_idle_connections} and {@code connection_max_lifetime}.
 *
 * <p>The connection string is either a JDBC URL ({@code jdbc:postgresql://host:port/db?user=..}) or
 * lakeFS's URL form {@code postgres://user:password@host:port/db?sslmode=disable} (also
 * {@code postgresql://}), which {@link #jdbc()} turns into a JDBC URL plus user and password.
 *
 * @param maxLifetime how long a pooled connection lives; {@link Duration#ZERO} = no limit
 */
public record PostgresConfig(String connectionString, int maxOpenConnections, int maxIdleConnections,
                             Duration maxLifetime) {

    /** lakeFS's defaults: 25 open, 25 idle, connections recycled after 5 minutes. */
    public static final int DEFAULT_MAX_OPEN = 25;
    public static final int DEFAULT_MAX_IDLE = 25;
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);

    public PostgresConfig {
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxOpenConnections < 1) {
            throw new IllegalArgumentException("database.postgres.max_open_connections must be at least 1");
        }
        if (maxIdleConnections < 0) {
            throw new IllegalArgumentException("database.postgres.max_idle_connections must not be negative");
        }
        if (maxLifetime.isNegative()) {
            throw new IllegalArgumentException("database.postgres.connection_max_lifetime must not be negative");
        }
    }

    /** A connection string with lakeFS's pool defaults. */
    public static PostgresConfig of(String connectionString) {
        return new PostgresConfig(connectionString, DEFAULT_MAX_OPEN, DEFAULT_MAX_IDLE, DEFAULT_MAX_LIFETIME);
    }

    /** The same settings with another connection string. */
    public PostgresConfig withConnectionString(String other) {
        return new PostgresConfig(other, maxOpenConnections, maxIdleConnections, maxLifetime);
    }

    /** A JDBC URL and the credentials that go beside it ({@code null} when the URL carries them or none). */
    public record Jdbc(String url, String user, String password) {
        /** The URL without any password in its query, for messages. */
        public String safeUrl() {
            return url.replaceAll("(?i)(password=)[^&]*", "$1***");
        }

        @Override
        public String toString() {
            return "Jdbc[url=" + safeUrl() + ", user=" + user + ", password=" + (password == null ? null : "***") + "]";
        }
    }

    /**
     * The JDBC form of the connection string.
     *
     * @throws IllegalArgumentException if it is empty or neither form
     */
    public Jdbc jdbc() {
        String s = connectionString == null ? "" : connectionString.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("database.postgres.connection_string is not set"
                    + " (e.g. postgres://user:password@localhost:5432/tarn?sslmode=disable)");
        }
        if (s.startsWith("jdbc:postgresql:")) {
            return new Jdbc(s, null, null);
        }
        if (!s.startsWith("postgres://") && !s.startsWith("postgresql://")) {
            throw new IllegalArgumentException("database.postgres.connection_string must be a postgres:// URL"
                    + " or a jdbc:postgresql: URL, not '" + redact(s) + "'");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database.postgres.connection_string is not a valid URL: "
                    + e.getReason() + " in '" + redact(s) + "'");
        }
        String host = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String user = null;
        String password = null;
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            String info = host.substring(0, at);
            host = host.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append('/').append(database);
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            url.append('?').append(uri.getRawQuery());
        }
        return new Jdbc(url.toString(), user == null || user.isEmpty() ? null : user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The string with the password of a {@code user:password@} part replaced by {@code ***}. */
    static String redact(String s) {
        return s.replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "PostgresConfig[connectionString=" + (connectionString == null ? null : redact(connectionString))
                + ", maxOpenConnections=" + maxOpenConnections + ", maxIdleConnections=" + maxIdleConnections
                + ", maxLifetime=" + maxLifetime + "]";
    }
}
