package io.tarn.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tarn.util.HomePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's settings, with lakeFS's key names. Sources, strongest first: flags
 * ({@code --key=value}), environment variables ({@code TARN_<KEY>}: dots and dashes become
 * underscores, upper case; lakeFS's {@code LAKEFS_<KEY>} are aliases, and {@code TARN_*} wins when
 * both are set), a YAML file ({@code --config}), then the defaults. Unknown keys in a file or a flag
 * are errors; unknown {@code TARN_*} and {@code LAKEFS_*} variables are reported as warnings.
 */
public record TarnConfig(String listenAddress, Logging logging, Database database, Blockstore blockstore, Auth auth,
                         Installation installation, Committed committed, Gateways gateways, Http http, Gc gc) {

    /**
     * The application log, with lakeFS's keys and values: {@code format} is {@code text} or
     * {@code json}; {@code level} one of {@link #LEVELS} (upper case); {@code output} is {@code -}
     * (standard output), {@code =} (standard error) or a file path (appended to).
     */
    public record Logging(String format, String level, String output) {
        public static final List<String> FORMATS = List.of("text", "json");
        public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "NONE");
        public static final String STDOUT = "-";
        public static final String STDERR = "=";

        /** What a server without logging settings uses. */
        public static Logging defaults() {
            return new Logging("text", "INFO", STDOUT);
        }
    }

    /**
     * {@code localSyncWrites}: {@code database.local.sync_writes}, sync each metadata write before it
     * returns; {@code postgres} is always present, its settings matter only with {@code type}
     * {@code postgres}.
     */
    public record Database(String type, Path localPath, boolean localSyncWrites, Postgres postgres) {
        /** Settings for the types without a PostgreSQL database, durable. */
        public Database(String type, Path localPath) {
            this(type, localPath, true, Postgres.defaults());
        }
    }

    /**
     * lakeFS's {@code database.postgres.*}: a {@code postgres://} or {@code jdbc:postgresql:} URL (null
     * when unset) and the pool's bounds; {@code connectionMaxLifetime} zero means no limit.
     */
    public record Postgres(String connectionString, int maxOpenConnections, int maxIdleConnections,
                           Duration connectionMaxLifetime) {
        public static Postgres defaults() {
            return new Postgres(null, 25, 25, Duration.ofMinutes(5));
        }

        @Override
        public String toString() {
            return "Postgres[connectionString=" + (connectionString == null ? null
                    : connectionString.replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***"))
                    + ", maxOpenConnections=" + maxOpenConnections + ", maxIdleConnections=" + maxIdleConnections
                    + ", connectionMaxLifetime=" + connectionMaxLifetime + "]";
        }
    }

    /** {@code localSync}: {@code blockstore.local.sync}, sync object files and folders before publishing them. */
    public record Blockstore(String type, Path localPath, S3 s3, boolean localSync) {}

    /** {@code endpoint}, {@code region} and the credentials are null when unset (SDK defaults apply). */
    public record S3(String endpoint, String region, boolean forcePathStyle, String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", forcePathStyle=" + forcePathStyle
                    + ", accessKeyId=" + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? null : "***") + "]";
        }
    }

    /**
     * {@code encryptSecretKey} is null when unset; {@code loginDuration} is how long a login token
     * ({@code POST /api/v1/auth/login}) is valid ({@code auth.login_duration}, a Go-style duration
     * such as {@code 168h} or {@code 1h30m}).
     */
    public record Auth(String encryptSecretKey, java.time.Duration loginDuration) {
        public Auth(String encryptSecretKey) {
            this(encryptSecretKey, DEFAULT_LOGIN_DURATION);
        }

        @Override
        public String toString() {
            return "Auth[encryptSecretKey=" + (encryptSecretKey == null ? null : "***") + "]";
        }
    }

    /** All three null when unset; set together or not at all. */
    public record Installation(String userName, String accessKeyId, String secretAccessKey) {
        public boolean isSet() {
            return userName != null;
        }

        @Override
        public String toString() {
            return "Installation[userName=" + userName + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
                    + (secretAccessKey == null ? null : "***") + "]";
        }
    }

    public record Committed(Path localCacheDir, long localCacheSizeBytes) {}

    /**
     * The S3 gateway: its bare domain names ({@code gateways.s3.domain_name}, comma-separated or a YAML
     * list; requests for these hosts or their subdomains are S3 requests) and its region.
     */
    public record Gateways(List<String> s3DomainNames, String s3Region) {
        public Gateways {
            s3DomainNames = List.copyOf(s3DomainNames);
        }
    }

    /**
     * Limits of the HTTP listener against slow or greedy clients: the longest time a request's head
     * (request line and headers) may take to arrive, connections served at once (more wait in the
     * accept backlog), and requests with a body in flight per client address (more get 503).
     */
    public record Http(java.time.Duration requestHeaderTimeout, int maxConnections, int maxUploadsPerClient) {}

    /**
     * Garbage collection in the server: {@code gc.schedule}, the time between two collections of every
     * repository ({@code null}: the server does not collect; {@code tarn gc run} still does), and
     * {@code gc.grace}, how old unreferenced data must be to be deleted (docs/gc.md).
     */
    public record Gc(java.time.Duration schedule, java.time.Duration grace) {}

    public static final String ENV_PREFIX = "TARN_";
    /** lakeFS's prefix, accepted as an alias of {@link #ENV_PREFIX}. */
    public static final String LAKEFS_ENV_PREFIX = "LAKEFS_";

    /** Every key, with its default ("" = unset). */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("listen_address", "0.0.0.0:8000");
        d.put("logging.format", "text");
        d.put("logging.level", "INFO");
        d.put("logging.output", "-");
        d.put("database.type", "local");
        d.put("database.local.path", "~/tarn/metadata");
        d.put("database.local.sync_writes", "true");
        d.put("database.postgres.connection_string", "");
        d.put("database.postgres.max_open_connections", "25");
        d.put("database.postgres.max_idle_connections", "25");
        d.put("database.postgres.connection_max_lifetime", "5m");
        d.put("blockstore.type", "local");
        d.put("blockstore.local.path", "~/tarn/data");
        d.put("blockstore.local.sync", "true");
        d.put("blockstore.s3.endpoint", "");
        d.put("blockstore.s3.region", "");
        d.put("blockstore.s3.force_path_style", "false");
        d.put("blockstore.s3.credentials.access_key_id", "");
        d.put("blockstore.s3.credentials.secret_access_key", "");
        d.put("auth.encrypt.secret_key", "");
        d.put("auth.login_duration", "168h");
        d.put("installation.user_name", "");
        d.put("installation.access_key_id", "");
        d.put("installation.secret_access_key", "");
        d.put("committed.local_cache.dir", "~/tarn/cache");
        d.put("committed.local_cache.size_bytes", String.valueOf(1L << 30));
        d.put("http.request_header_timeout", "30s");
        d.put("http.max_connections", "4096");
        d.put("http.max_uploads_per_client", "256");
        d.put("gateways.s3.domain_name", "s3.local.lakefs.io");
        d.put("gateways.s3.region", "us-east-1");
        d.put("gc.schedule", "");
        d.put("gc.grace", "6h");
        return Collections.unmodifiableMap(d);
    }

    /** Keys by their normalised form (upper case, '.' and '-' as '_'), to match env vars and flags. */
    private static final Map<String, String> BY_NORMALISED = byNormalised();

    private static Map<String, String> byNormalised() {
        Map<String, String> m = new TreeMap<>();
        DEFAULTS.keySet().forEach(k -> m.put(normalise(k), k));
        return m;
    }

    static String normalise(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The env var of a key, e.g. {@code TARN_BLOCKSTORE_TYPE}. */
    public static String envName(String key) {
        return ENV_PREFIX + normalise(key);
    }

    /** The result of loading: the config and warnings worth logging. */
    public record Loaded(TarnConfig config, List<String> warnings) {}

    /**
     * Loads the configuration.
     *
     * @param file  a YAML file, or null
     * @param env   the environment (only {@code TARN_*} entries are looked at)
     * @param flags {@code key -> value} from the command line (keys with dots, dashes or underscores)
     * @throws ConfigException on an unknown key or a bad value
     */
    public static Loaded load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        List<String> warnings = new ArrayList<>();
        if (file != null) {
            readYaml(file).forEach((key, value) -> values.put(known(key, "in " + file), value));
        }
        applyEnvironment(env, values, warnings);
        flags.forEach((flag, value) -> values.put(known(flag, "on the command line (--" + flag + ")"), value));
        return new Loaded(build(values), List.copyOf(warnings));
    }

    /**
     * {@code TARN_<KEY>} and lakeFS's {@code LAKEFS_<KEY>} set {@code key}; {@code TARN_*} wins over
     * {@code LAKEFS_*}, with one warning naming both (never the values). Variables with either prefix
     * that name no setting are reported, one warning each.
     */
    private static void applyEnvironment(Map<String, String> env, Map<String, String> values, List<String> warnings) {
        Map<String, String> tarn = new TreeMap<>();
        Map<String, String> lakefs = new TreeMap<>();
        new TreeMap<>(env).forEach((name, value) -> {
            String prefix = name.startsWith(ENV_PREFIX) ? ENV_PREFIX
                    : name.startsWith(LAKEFS_ENV_PREFIX) ? LAKEFS_ENV_PREFIX : null;
            if (prefix == null || name.equals("TARN_JAVA_OPTS")) {
                return;
            }
            String key = BY_NORMALISED.get(name.substring(prefix.length()));
            if (key == null) {
                warnings.add("ignoring environment variable " + name + ": not a Tarn setting");
            } else {
                (prefix.equals(ENV_PREFIX) ? tarn : lakefs).put(key, name);
            }
        });
        lakefs.forEach((key, name) -> {
            if (tarn.containsKey(key)) {
                warnings.add("both " + tarn.get(key) + " and " + name + " are set: using " + tarn.get(key));
            } else {
                values.put(key, env.get(name));
            }
        });
        tarn.forEach((key, name) -> values.put(key, env.get(name)));
    }

    private static String known(String key, String where) {
        String found = BY_NORMALISED.get(normalise(key));
        if (found == null) {
            throw new ConfigException("unknown setting '" + key + "' " + where + "; known settings: "
                    + String.join(", ", DEFAULTS.keySet()));
        }
        return found;
    }

    /** Flattens a YAML document into dotted keys. */
    static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + file + " must hold a mapping of settings");
        }
        flatten("", root, out, file);
        return out;
    }

    /** Settings that take a list (a YAML list, or comma-separated in a flag or variable). */
    private static final Set<String> LIST_KEYS = Set.of("gateways.s3.domain_name");

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, out, file);
            } else if (value.isNull()) {
                known(key, "in " + file); // an empty key is still checked, but leaves the default
            } else if (value.isValueNode()) {
                out.put(key, value.asText());
            } else if (value.isArray() && LIST_KEYS.contains(key)) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else {
                throw new ConfigException("setting '" + key + "' in " + file + " must be a single value, not a list");
            }
        }
    }

    private static TarnConfig build(Map<String, String> v) {
        String listen = v.get("listen_address").trim();
        parseListenAddress(listen);
        String dbType = oneOf(v, "database.type", Set.of("local", "mem", "postgres"));
        Postgres postgres = postgres(v);
        if (dbType.equals("postgres") && postgres.connectionString() == null) {
            throw new ConfigException("database.type postgres needs database.postgres.connection_string"
                    + " (e.g. postgres://user:password@localhost:5432/tarn?sslmode=disable)");
        }
        String blockType = oneOf(v, "blockstore.type", Set.of("local", "s3", "mem"));
        Installation installation = new Installation(blank(v.get("installation.user_name")),
                blank(v.get("installation.access_key_id")), blank(v.get("installation.secret_access_key")));
        int set = (installation.userName() != null ? 1 : 0) + (installation.accessKeyId() != null ? 1 : 0)
                + (installation.secretAccessKey() != null ? 1 : 0);
        if (set != 0 && set != 3) {
            throw new ConfigException("installation.user_name, installation.access_key_id and"
                    + " installation.secret_access_key must be set together");
        }
        long cacheSize;
        try {
            cacheSize = Long.parseLong(v.get("committed.local_cache.size_bytes").trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("committed.local_cache.size_bytes must be a number of bytes, not '"
                    + v.get("committed.local_cache.size_bytes") + "'");
        }
        if (cacheSize < 1) {
            throw new ConfigException("committed.local_cache.size_bytes must be a positive number of bytes");
        }
        return new TarnConfig(listen, logging(v),
                new Database(dbType, path(v, "database.local.path"), bool(v, "database.local.sync_writes", true), postgres),
                new Blockstore(blockType, path(v, "blockstore.local.path"), new S3(
                        blank(v.get("blockstore.s3.endpoint")), blank(v.get("blockstore.s3.region")),
                        bool(v, "blockstore.s3.force_path_style"),
                        blank(v.get("blockstore.s3.credentials.access_key_id")),
                        blank(v.get("blockstore.s3.credentials.secret_access_key"))),
                        bool(v, "blockstore.local.sync", true)),
                new Auth(blank(v.get("auth.encrypt.secret_key")), duration(v, "auth.login_duration")),
                installation,
                new Committed(path(v, "committed.local_cache.dir"), cacheSize),
                new Gateways(list(v, "gateways.s3.domain_name"), v.get("gateways.s3.region").trim()),
                new Http(duration(v, "http.request_header_timeout"), positive(v, "http.max_connections"),
                        positive(v, "http.max_uploads_per_client")),
                gc(v));
    }

    private static Gc gc(Map<String, String> v) {
        String schedule = v.get("gc.schedule").trim();
        java.time.Duration every = schedule.isEmpty() ? null : parseDuration("gc.schedule", schedule);
        if (every != null && every.toSeconds() < 60) {
            throw new ConfigException("gc.schedule must be at least 1m (or empty to collect only with 'tarn gc run'),"
                    + " not '" + schedule + "'");
        }
        return new Gc(every, duration(v, "gc.grace"));
    }

    private static Postgres postgres(Map<String, String> v) {
        int open = count(v, "database.postgres.max_open_connections", 1);
        int idle = count(v, "database.postgres.max_idle_connections", 0);
        String lifetime = v.get("database.postgres.connection_max_lifetime").trim();
        Duration maxLifetime;
        try {
            maxLifetime = GoDurations.parse(lifetime);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("database.postgres.connection_max_lifetime must be a duration such as 5m,"
                    + " 90s or 1h30m, not '" + lifetime + "'");
        }
        return new Postgres(blank(v.get("database.postgres.connection_string").trim()), open, idle, maxLifetime);
    }

    private static int count(Map<String, String> v, String key, int min) {
        String value = v.get(key).trim();
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + " must be a whole number of at least " + min + ", not '" + value + "'");
    }

    private static Logging logging(Map<String, String> v) {
        String format = v.get("logging.format").trim().toLowerCase(Locale.ROOT);
        if (!Logging.FORMATS.contains(format)) {
            throw new ConfigException("logging.format must be one of " + Logging.FORMATS + ", not '"
                    + v.get("logging.format") + "'");
        }
        String level = v.get("logging.level").trim().toUpperCase(Locale.ROOT);
        if (!Logging.LEVELS.contains(level)) {
            throw new ConfigException("logging.level must be one of " + Logging.LEVELS + ", not '"
                    + v.get("logging.level") + "'");
        }
        String output = v.get("logging.output").trim();
        if (output.isEmpty()) {
            throw new ConfigException("logging.output must be - (standard output), = (standard error) or a file path");
        }
        if (!output.equals(Logging.STDOUT) && !output.equals(Logging.STDERR)) {
            output = HomePaths.expand(output).toString();
        }
        return new Logging(format, level, output);
    }

    /** host and port of a {@code host:port} listen address ({@code [::1]:8000} for IPv6). */
    public record HostPort(String host, int port) {}

    public HostPort listen() {
        return parseListenAddress(listenAddress);
    }

    static HostPort parseListenAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException("listen_address must be host:port, not '" + address + "'");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("listen_address must be host:port, not '" + address + "'");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("listen_address port must be 0-65535, not " + port);
        }
        return new HostPort(host, port);
    }

    private static String oneOf(Map<String, String> v, String key, Set<String> allowed) {
        String value = v.get(key).trim();
        if (!allowed.contains(value)) {
            throw new ConfigException(key + " must be one of " + new java.util.TreeSet<>(allowed) + ", not '" + value + "'");
        }
        return value;
    }

    /** lakeFS's default login token lifetime. */
    public static final java.time.Duration DEFAULT_LOGIN_DURATION = java.time.Duration.ofHours(168);

    /**
     * A positive duration with its unit, as lakeFS writes them ({@code 168h}, {@code 30s},
     * {@code 1h30m}, {@code 250ms}; {@link GoDurations} reads them). A bare number is refused here:
     * without a unit it is unclear.
     */
    static java.time.Duration parseDuration(String key, String raw) {
        String text = raw.trim();
        java.time.Duration duration = null;
        if (!text.isEmpty() && !text.chars().allMatch(Character::isDigit)) {
            try {
                duration = GoDurations.parse(text);
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        if (duration == null || duration.toMillis() < 1) {
            throw new ConfigException(key + " must be a positive duration such as 168h, 30m, 1h30m or 500ms, not '"
                    + raw + "'");
        }
        return duration;
    }

    private static java.time.Duration duration(Map<String, String> v, String key) {
        return parseDuration(key, v.get(key));
    }

    private static boolean bool(Map<String, String> v, String key) {
        return bool(v, key, false);
    }

    /** {@code true} or {@code false} (any case); an empty value is {@code unset}. */
    private static boolean bool(Map<String, String> v, String key, boolean unset) {
        String value = v.get(key).trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            case "" -> unset;
            default -> throw new ConfigException(key + " must be true or false, not '" + v.get(key) + "'");
        };
    }

    private static Path path(Map<String, String> v, String key) {
        String value = v.get(key).trim();
        if (value.isEmpty()) {
            throw new ConfigException(key + " must not be empty");
        }
        return HomePaths.expand(value);
    }

    private static int positive(Map<String, String> v, String key) {
        try {
            int n = Integer.parseInt(v.get(key).trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + " must be a whole number of at least 1, not '" + v.get(key) + "'");
    }

    private static List<String> list(Map<String, String> v, String key) {
        List<String> items = new ArrayList<>();
        for (String item : v.get(key).split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static String blank(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Defaults only (tests and tools). */
    public static TarnConfig defaultsOnly() {
        return build(new LinkedHashMap<>(DEFAULTS));
    }

    public Optional<String> encryptSecretKey() {
        return Optional.ofNullable(auth.encryptSecretKey());
    }
}
