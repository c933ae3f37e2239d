package io.tarn.block;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Block store settings, shaped like lakeFS's {@code blockstore} configuration section so that the
 * same YAML works: {@code type}, {@code local.path}, {@code s3.endpoint}, {@code s3.region},
 * {@code s3.force_path_style}, {@code s3.credentials.access_key_id},
 * {@code s3.credentials.secret_access_key}. Deserialize it with Jackson from the
 * {@code blockstore} node, or build it from flat {@code blockstore.*} keys with
 * {@link #fromProperties(Map)}.
 *
 * @param type  {@code local}, {@code s3} or {@code mem}
 * @param local settings of the local store (may be {@code null} for other types)
 * @param s3    settings of the S3 store (may be {@code null} for other types)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockStoreConfig(
        @JsonProperty("type") String type,
        @JsonProperty("local") Local local,
        @JsonProperty("s3") S3 s3) {

    public static final Set<String> TYPES = Set.of("local", "s3", "mem");
    public static final String DEFAULT_REGION = "us-east-1";

    /**
     * @param path the root folder under which {@code local://} namespaces live
     * @param sync sync each object file (and the folder entry naming it) before publishing it
     *             ({@code blockstore.local.sync}; {@code null} means the default, {@code true})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Local(@JsonProperty("path") String path, @JsonProperty("sync") Boolean sync) {
        public Local(String path) {
            this(path, null);
        }

        /** Whether files are synced before they are published (default {@code true}). */
        public boolean syncs() {
            return sync == null || sync;
        }
    }

    /**
     * @param endpoint       the S3 endpoint URL, or {@code null} for AWS's regional endpoint
     * @param region         the signing region; if empty, {@code aws.region} / {@code AWS_REGION} /
     *                       the AWS profile, and failing those {@value BlockStoreConfig#DEFAULT_REGION}
     * @param forcePathStyle address buckets as {@code endpoint/bucket} instead of {@code bucket.endpoint}
     * @param credentials    static credentials, or {@code null} for the SDK's default provider chain
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record S3(
            @JsonProperty("endpoint") String endpoint,
            @JsonProperty("region") String region,
            @JsonProperty("force_path_style") boolean forcePathStyle,
            @JsonProperty("credentials") Credentials credentials) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Credentials(
            @JsonProperty("access_key_id") String accessKeyId,
            @JsonProperty("secret_access_key") String secretAccessKey) {
        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    public static BlockStoreConfig mem() {
        return new BlockStoreConfig("mem", null, null);
    }

    public static BlockStoreConfig local(Path root) {
        return new BlockStoreConfig("local", new Local(root.toString()), null);
    }

    public static BlockStoreConfig local(Path root, boolean sync) {
        return new BlockStoreConfig("local", new Local(root.toString(), sync), null);
    }

    public static BlockStoreConfig s3(String endpoint, String region, boolean forcePathStyle,
                                      String accessKeyId, String secretAccessKey) {
        Credentials c = accessKeyId == null ? null : new Credentials(accessKeyId, secretAccessKey);
        return new BlockStoreConfig("s3", null, new S3(endpoint, region, forcePathStyle, c));
    }

    /**
     * Reads flat lakeFS-style keys: {@code blockstore.type}, {@code blockstore.local.path}, {@code blockstore.local.sync},
     * {@code blockstore.s3.endpoint}, {@code blockstore.s3.region},
     * {@code blockstore.s3.force_path_style}, {@code blockstore.s3.credentials.access_key_id},
     * {@code blockstore.s3.credentials.secret_access_key}. Other keys are ignored.
     */
    public static BlockStoreConfig fromProperties(Map<String, String> p) {
        String type = p.get("blockstore.type");
        String path = p.get("blockstore.local.path");
        String sync = p.get("blockstore.local.sync");
        String endpoint = p.get("blockstore.s3.endpoint");
        String region = p.get("blockstore.s3.region");
        String style = p.get("blockstore.s3.force_path_style");
        String key = p.get("blockstore.s3.credentials.access_key_id");
        String secret = p.get("blockstore.s3.credentials.secret_access_key");
        boolean forcePathStyle = false;
        if (style != null && !style.isBlank()) {
            forcePathStyle = switch (style.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(
                        "blockstore.s3.force_path_style must be true or false, not '" + style + "'");
            };
        }
        Boolean localSync = null;
        if (sync != null && !sync.isBlank()) {
            localSync = switch (sync.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(
                        "blockstore.local.sync must be true or false, not '" + sync + "'");
            };
        }
        Local local = path == null ? null : new Local(path, localSync);
        S3 s3 = endpoint == null && region == null && style == null && key == null && secret == null ? null
                : new S3(endpoint, region, forcePathStyle,
                        key == null && secret == null ? null : new Credentials(key, secret));
        return new BlockStoreConfig(type, local, s3);
    }

    /**
     * Checks the settings the configured type needs.
     *
     * @throws IllegalArgumentException naming the missing or wrong key
     */
    public BlockStoreConfig validate() {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("blockstore.type is required (one of local, s3, mem)");
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("blockstore.type '" + type + "' is not one of local, s3, mem");
        }
        if (type.equals("local") && (local == null || local.path() == null || local.path().isBlank())) {
            throw new IllegalArgumentException("blockstore.local.path is required when blockstore.type is local");
        }
        if (type.equals("s3") && s3 != null && s3.credentials() != null) {
            Credentials c = s3.credentials();
            if (c.accessKeyId() == null || c.accessKeyId().isBlank()
                    || c.secretAccessKey() == null || c.secretAccessKey().isBlank()) {
                throw new IllegalArgumentException("blockstore.s3.credentials needs both access_key_id and"
                        + " secret_access_key");
            }
        }
        return this;
    }
}
