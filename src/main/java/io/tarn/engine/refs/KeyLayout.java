package io.tarn.engine.refs;

import io.tarn.engine.codec.Bytes;

/**
 * The engine's whole KV key layout, in one place (UTF-8 keys; names and tokens never contain
 * {@code /}, object paths may):
 * <pre>
 * repo/&lt;repo&gt;                 repository record
 * branch/&lt;repo&gt;/&lt;branch&gt;      branch record
 * tag/&lt;repo&gt;/&lt;tag&gt;            commit id
 * commit/&lt;repo&gt;/&lt;id&gt;          commit (immutable)
 * stage/&lt;token&gt;/&lt;path&gt;        staged entry or tombstone
 * multipart/&lt;repo&gt;/&lt;id&gt;       multipart upload in progress
 * multipart-part/&lt;repo&gt;/&lt;id&gt;/&lt;n&gt;  the checksum a client sent with part n of that upload
 * settings/&lt;repo&gt;/&lt;name&gt;     repository settings (gc_rules, retention)
 * </pre>
 * {@link MetaStore} reads and writes the first four; {@code engine.staging.Staging} the last. Nothing
 * else in the engine builds or parses a key. (The {@code auth/} keys belong to {@code io.tarn.auth}.)
 */
public final class KeyLayout {
    private KeyLayout() {}

    private static final String REPO = "repo/";
    private static final String BRANCH = "branch/";
    private static final String TAG = "tag/";
    private static final String COMMIT = "commit/";
    private static final String STAGE = "stage/";
    private static final String MULTIPART = "multipart/";
    private static final String MULTIPART_PART = "multipart-part/";
    private static final String REPO_METADATA = "repometa/";
    private static final String IMPORT = "import/";
    private static final String LINK_ADDRESS = "linkaddr/";
    private static final String SETTINGS = "settings/";

    /** The prefix of every repository record. */
    public static byte[] repositories() {
        return Bytes.utf8(REPO);
    }

    public static byte[] repository(String repo) {
        return Bytes.utf8(REPO + repo);
    }

    public static byte[] branches(String repo) {
        return Bytes.utf8(BRANCH + repo + '/');
    }

    public static byte[] branch(String repo, String branch) {
        return Bytes.utf8(BRANCH + repo + '/' + branch);
    }

    public static byte[] tags(String repo) {
        return Bytes.utf8(TAG + repo + '/');
    }

    public static byte[] tag(String repo, String tag) {
        return Bytes.utf8(TAG + repo + '/' + tag);
    }

    public static byte[] commits(String repo) {
        return Bytes.utf8(COMMIT + repo + '/');
    }

    public static byte[] commit(String repo, String id) {
        return Bytes.utf8(COMMIT + repo + '/' + id);
    }

    /** The prefix of every staged key of a token. */
    public static byte[] staged(String token) {
        return Bytes.utf8(STAGE + token + '/');
    }

    /** The staged key of an object path (its UTF-8 bytes) in a token. */
    public static byte[] staged(String token, byte[] path) {
        return Bytes.concat(staged(token), path);
    }

    /** The prefix of every multipart upload in progress of a repository. */
    public static byte[] multipartUploads(String repo) {
        return Bytes.utf8(MULTIPART + repo + '/');
    }

    /** A multipart upload in progress (its id is a hex token). */
    public static byte[] multipartUpload(String repo, String uploadId) {
        return Bytes.utf8(MULTIPART + repo + '/' + uploadId);
    }

    /** The prefix of the part checksums of a multipart upload. */
    public static byte[] multipartParts(String repo, String uploadId) {
        return Bytes.utf8(MULTIPART_PART + repo + '/' + uploadId + '/');
    }

    /** The checksum of part {@code partNumber} (1..10,000, zero-padded so the keys sort by number). */
    public static byte[] multipartPart(String repo, String uploadId, int partNumber) {
        return Bytes.utf8(MULTIPART_PART + repo + '/' + uploadId + '/' + String.format("%05d", partNumber));
    }

    /** A repository's metadata (a string map; absent = empty). */
    public static byte[] repositoryMetadata(String repo) {
        return Bytes.utf8(REPO_METADATA + repo);
    }

    /** The prefix of every import (running or finished) of a repository. */
    public static byte[] imports(String repo) {
        return Bytes.utf8(IMPORT + repo + '/');
    }

    /** An import's status record (its id is a hex token). */
    public static byte[] importStatus(String repo, String importId) {
        return Bytes.utf8(IMPORT + repo + '/' + importId);
    }

    /** The prefix of the addresses handed out for direct uploads into a repository. */
    public static byte[] linkAddresses(String repo) {
        return Bytes.utf8(LINK_ADDRESS + repo + '/');
    }

    /** An address handed out for a direct upload (its namespace-relative key), until it is linked. */
    public static byte[] linkAddress(String repo, String key) {
        return Bytes.utf8(LINK_ADDRESS + repo + '/' + key);
    }

    /** The prefix of every setting of a repository. */
    public static byte[] settings(String repo) {
        return Bytes.utf8(SETTINGS + repo + '/');
    }

    /** One setting of a repository ({@code gc_rules}, {@code retention}). */
    public static byte[] setting(String repo, String name) {
        return Bytes.utf8(SETTINGS + repo + '/' + name);
    }

    /** The part of {@code key} after {@code prefix} (a name, an id, or a path's bytes) as text. */
    public static String after(byte[] prefix, byte[] key) {
        return Bytes.string(key, prefix.length, key.length - prefix.length);
    }
}
