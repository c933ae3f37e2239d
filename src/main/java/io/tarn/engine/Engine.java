package io.tarn.engine;

import io.tarn.block.ByteRange;
import io.tarn.block.PartResult;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ImportSource;
import io.tarn.engine.model.ImportStatus;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.LogFilter;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.PresignedMultipartUpload;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.model.StagingLocation;
import io.tarn.engine.model.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The versioning engine: repositories, branches, tags, staged writes, commits, diffs and merges.
 * It knows nothing of HTTP; every API (classic, S3 gateway, current lakeFS API, CLI) calls it.
 *
 * <p>Errors are {@link io.tarn.error.TarnException} subclasses. Paging: {@code after} is
 * exclusive ({@code null} or empty = from the start); {@code amount} must be at least 1.
 *
 * <p>Refs: a full commit id or a unique prefix of at least 6 hex digits, a branch, a tag,
 * {@code branch@} or {@code branch:HEAD} (lakeFS 2020's spelling; the branch's last commit), each
 * optionally followed by any sequence of {@code ~N} (N-th first-parent ancestor) and {@code ^N}
 * (N-th parent). A bare branch name reads its last commit plus its uncommitted changes in
 * {@link #statObject} and {@link #listObjects}, and means its last commit everywhere else
 * ({@link #diffRefs}, {@link #merge}, {@link #log}, {@link #createBranch}, {@link #createTag}):
 * uncommitted changes show in {@link #diffBranch} only.
 */
public interface Engine extends AutoCloseable {

    // ---- repositories ----

    /**
     * Creates a repository on a storage namespace, after probing that the namespace is reachable and
     * holds no other repository. Makes the default branch and an initial empty commit.
     */
    Repository createRepository(String id, String storageNamespace, String defaultBranch);

    Repository getRepository(String id);

    Page<Repository> listRepositories(String after, int amount);

    /** Deletes the repository's metadata; its objects' data is left in the storage namespace. */
    void deleteRepository(String id);

    /** The repository's own key-value metadata (empty until some is set). */
    default Map<String, String> getRepositoryMetadata(String id) {
        throw new UnsupportedOperationException("repository metadata");
    }

    /** Adds or replaces keys of the repository's metadata; returns the whole metadata after. */
    default Map<String, String> setRepositoryMetadata(String id, Map<String, String> entries) {
        throw new UnsupportedOperationException("repository metadata");
    }

    /** Removes keys of the repository's metadata (absent keys are no error); returns the whole metadata after. */
    default Map<String, String> deleteRepositoryMetadata(String id, java.util.Collection<String> keys) {
        throw new UnsupportedOperationException("repository metadata");
    }

    // ---- branches and tags ----

    /** Creates a branch pointing at the commit {@code sourceRef} resolves to (staged changes not copied). */
    Branch createBranch(String repository, String name, String sourceRef);

    Branch getBranch(String repository, String name);

    Page<Branch> listBranches(String repository, String after, int amount);

    /** Deletes a branch and its staged changes; never the default branch. */
    void deleteBranch(String repository, String name);

    Tag createTag(String repository, String name, String ref);

    Tag getTag(String repository, String name);

    Page<Tag> listTags(String repository, String after, int amount);

    void deleteTag(String repository, String name);

    // ---- objects ----

    /**
     * Streams {@code content} to a fresh physical address in the repository's storage namespace and
     * stages the entry on the branch. If the stream fails, nothing is staged.
     *
     * @param contentLength the exact length, or -1 if unknown
     */
    ObjectEntry putObject(String repository, String branch, String path, InputStream content,
                          long contentLength, String contentType, Map<String, String> userMetadata);

    /** An upload's content, opened only once the branch is known to exist (a 404 reads no body). */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;

        /**
         * The content type the content carries itself, known once it is open (a form part's own
         * {@code Content-Type}), or null: the object then gets the content type the put was given.
         */
        default String contentType() {
            return null;
        }
    }

    /**
     * {@link #putObject(String, String, String, InputStream, long, String, Map)} with content that is
     * opened after the repository and branch are checked, and closed here: one read of each for a
     * caller that must not touch the body of a request to a missing branch.
     */
    default ObjectEntry putObject(String repository, String branch, String path, Content content,
                                  long contentLength, String contentType, Map<String, String> userMetadata)
            throws IOException {
        getBranch(repository, branch);
        try (InputStream in = content.open()) {
            String carried = content.contentType();
            return putObject(repository, branch, path, in, contentLength, carried != null ? carried : contentType,
                    userMetadata);
        }
    }

    /**
     * {@link #putObject(String, String, String, Content, long, String, Map)} that also keeps the checksum
     * a client sent with the content ({@code x-amz-checksum-*}): {@code contentChecksum} is asked once the
     * content was read to its end (so a trailing checksum is known), and may answer null.
     */
    default ObjectEntry putObject(String repository, String branch, String path, Content content,
                                  long contentLength, String contentType, Map<String, String> userMetadata,
                                  Supplier<ContentChecksum> contentChecksum) throws IOException {
        ObjectEntry entry = putObject(repository, branch, path, content, contentLength, contentType, userMetadata);
        ContentChecksum checksum = contentChecksum == null ? null : contentChecksum.get();
        return checksum == null ? entry : stageObject(repository, branch, entry.withContentChecksum(checksum));
    }

    /**
     * The repository record as this engine last read it, reading it only when it has none: what an
     * answer right after an operation on the repository describes it with (an upload has just
     * re-read the record to check its write, so it is as fresh as the write).
     */
    default Repository lastReadRepository(String id) {
        return getRepository(id);
    }

    /** Stages an entry whose data was already written (multipart uploads, copies). */
    ObjectEntry stageObject(String repository, String branch, ObjectEntry entry);

    /** The entry at {@code path} as seen from {@code ref}. */
    ObjectEntry statObject(String repository, String ref, String path);

    /**
     * The entry at {@code path} as seen from {@code ref}, with its repository, in one lookup: what a
     * read of an object needs before it opens the data (on a branch this engine has used lately, one
     * round trip to the metadata store).
     */
    LocatedObject locateObject(String repository, String ref, String path);

    /** Opens an entry's data, whole ({@code range == null}) or a byte range of it. */
    InputStream readObject(String repository, ObjectEntry entry, ByteRange range);

    /**
     * {@link #statObject(String, String, String)} in a repository already read by
     * {@link #getRepository} in this request, so it is not read again.
     */
    default ObjectEntry statObject(Repository repository, String ref, String path) {
        return statObject(repository.id(), ref, path);
    }

    /** {@link #readObject(String, ObjectEntry, ByteRange)} in a repository already read by {@link #getRepository}. */
    default InputStream readObject(Repository repository, ObjectEntry entry, ByteRange range) {
        return readObject(repository.id(), entry, range);
    }

    /** Stages the removal of {@code path}; not found if it is neither staged nor committed. */
    void deleteObject(String repository, String branch, String path);

    /**
     * Lists the objects under {@code prefix} at {@code ref}, in path order. With a non-empty
     * {@code delimiter}, paths that contain it after the prefix are grouped into one
     * {@link io.tarn.engine.model.CommonPrefix} each, and the listing jumps over them. Cost grows with
     * the page, not with the number of objects skipped.
     */
    Page<ListItem> listObjects(String repository, String ref, String prefix, String delimiter,
                               String after, int amount);

    // ---- direct transfers ----

    /**
     * A fresh address in the repository's namespace for {@code path} on {@code branch}, for a client that
     * writes the data itself, then calls {@link #linkPhysicalAddress}; with {@code presignTtl}, also a
     * presigned PUT URL valid that long (UnsupportedOperationException where the block store makes none).
     */
    default StagingLocation stagingLocation(String repository, String branch, String path, java.time.Duration presignTtl) {
        throw new UnsupportedOperationException("direct uploads");
    }

    /**
     * Stages the data written at an address {@link #stagingLocation} handed out for this repository (once,
     * within a day): it must exist with {@code size} bytes ({@code size < 0}: any) and, when a checksum is
     * given, the block store's ETag must equal it.
     */
    default ObjectEntry linkPhysicalAddress(String repository, String branch, String path, String physicalAddress,
                                            String checksum, long size, String contentType,
                                            Map<String, String> userMetadata) {
        throw new UnsupportedOperationException("direct uploads");
    }

    /**
     * Stages an entry on data already in this block store at the full URI {@code physicalAddress}, which
     * must lie outside every repository's namespace; nothing is copied.
     */
    default ObjectEntry stageExternalObject(String repository, String branch, String path, String physicalAddress,
                                            String checksum, long size, String contentType,
                                            Map<String, String> userMetadata) {
        throw new UnsupportedOperationException("staging external objects");
    }

    /** A presigned GET URL of an entry's data valid for {@code ttl}, or empty where the block store makes none. */
    default java.util.Optional<java.net.URI> presignGet(Repository repository, ObjectEntry entry, java.time.Duration ttl) {
        return java.util.Optional.empty();
    }

    // ---- imports ----

    /**
     * Starts importing, zero-copy, the objects of block-store locations outside every repository's
     * namespace into one new commit on the branch (its staged changes stay staged). Sources are checked
     * here; listing and committing run in the background: poll {@link #importStatus}.
     */
    default ImportStatus startImport(String repository, String branch, List<ImportSource> sources, CommitRequest commit) {
        throw new UnsupportedOperationException("imports");
    }

    /** An import's progress; not found (kind IMPORT) for an unknown id or one of another branch. */
    default ImportStatus importStatus(String repository, String branch, String id) {
        throw new UnsupportedOperationException("imports");
    }

    /** Asks a running import to stop before it commits; false when it had already ended. */
    default boolean cancelImport(String repository, String branch, String id) {
        throw new UnsupportedOperationException("imports");
    }

    // ---- multipart uploads ----
    // (default methods: an engine without multipart support refuses them)

    /**
     * Starts a multipart upload of {@code path} on {@code branch} at a fresh physical address, on the
     * block store's own multipart support. Nothing is staged until {@link #completeMultipartUpload}.
     */
    default MultipartUpload createMultipartUpload(String repository, String branch, String path, String contentType,
                                                  Map<String, String> userMetadata) {
        return createMultipartUpload(repository, branch, path, contentType, userMetadata, null, null);
    }

    /**
     * {@link #createMultipartUpload(String, String, String, String, Map)} of an object that will carry a
     * client's checksum of {@code checksumAlgorithm} ({@code checksumType} says over what; both null: none).
     */
    default MultipartUpload createMultipartUpload(String repository, String branch, String path, String contentType,
                                                  Map<String, String> userMetadata,
                                                  ContentChecksum.Algorithm checksumAlgorithm,
                                                  ContentChecksum.Type checksumType) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /** An upload in progress; not found (kind UPLOAD) once completed or aborted. */
    default MultipartUpload getMultipartUpload(String repository, String uploadId) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /** Uploads one part (1..10,000; a part uploaded again replaces it). */
    default PartResult uploadPart(String repository, String uploadId, int partNumber, InputStream data,
                                  long contentLength) {
        return uploadPart(repository, uploadId, partNumber, data, contentLength, null);
    }

    /**
     * {@link #uploadPart(String, String, int, InputStream, long)} that keeps the checksum the client sent
     * with the part, asked once the data was read to its end ({@code null} or answering null: none).
     */
    default PartResult uploadPart(String repository, String uploadId, int partNumber, InputStream data,
                                  long contentLength, Supplier<ContentChecksum> partChecksum) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /** The checksums kept with the parts uploaded so far, by part number. */
    default Map<Integer, ContentChecksum> partChecksums(String repository, String uploadId) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /** The parts uploaded so far, by part number. */
    default List<PartResult> listParts(String repository, String uploadId) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /**
     * Assembles the listed parts (ascending part numbers, ETags as uploaded) and stages the object
     * on the upload's branch; its checksum is S3's multipart ETag {@code <md5 of part MD5s>-<N>}.
     */
    default ObjectEntry completeMultipartUpload(String repository, String uploadId, List<PartResult> parts) {
        return completeMultipartUpload(repository, uploadId, parts, null);
    }

    /**
     * {@link #completeMultipartUpload(String, String, List)} whose object gets the checksum that
     * {@code objectChecksum} makes of the parts assembled (in order, with their sizes), before anything is
     * staged: it may refuse them by throwing, and may answer null (no checksum).
     */
    default ObjectEntry completeMultipartUpload(String repository, String uploadId, List<PartResult> parts,
                                                Function<List<PartResult>, ContentChecksum> objectChecksum) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /** Drops an upload and its parts. */
    default void abortMultipartUpload(String repository, String uploadId) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    /**
     * Starts a multipart upload of {@code path} on {@code branch} whose {@code parts} parts (0..10,000)
     * the client PUTs itself to presigned URLs valid for {@code ttl}; UnsupportedOperationException where
     * the block store presigns no parts.
     */
    default PresignedMultipartUpload createPresignedMultipartUpload(String repository, String branch, String path,
                                                                    int parts, java.time.Duration ttl) {
        throw new UnsupportedOperationException("presigned multipart uploads");
    }

    /**
     * Completes a presigned multipart upload of {@code path} on {@code branch} at {@code physicalAddress} (as
     * created) and stages the object with the content type and user metadata given.
     */
    default ObjectEntry completePresignedMultipartUpload(String repository, String branch, String path,
                                                         String uploadId, String physicalAddress,
                                                         List<PartResult> parts, String contentType,
                                                         Map<String, String> userMetadata) {
        throw new UnsupportedOperationException("presigned multipart uploads");
    }

    /** Drops a presigned multipart upload of {@code path} on {@code branch} at {@code physicalAddress}. */
    default void abortPresignedMultipartUpload(String repository, String branch, String path, String uploadId,
                                               String physicalAddress) {
        throw new UnsupportedOperationException("presigned multipart uploads");
    }

    /** The uploads in progress in a repository, by id. */
    default Page<MultipartUpload> listMultipartUploads(String repository, String after, int amount) {
        throw new UnsupportedOperationException("multipart uploads");
    }

    // ---- changes ----

    /** The branch's uncommitted changes, in path order. */
    Page<Change> diffBranch(String repository, String branch, String after, int amount);

    /**
     * How the commit {@code leftRef} designates differs from {@code rightRef}'s (TWO_DOT) or from
     * their merge base (THREE_DOT), from the left side's point of view (ADDED = present on the left
     * only), in path order. A branch name means its last commit: uncommitted changes are not compared.
     */
    Page<Change> diffRefs(String repository, String leftRef, String rightRef, DiffType type,
                          String after, int amount);

    /**
     * The best common ancestor of the commits {@code leftRef} and {@code rightRef} designate (a branch:
     * its last commit), as merge and THREE_DOT diffs use it; empty when they share no history.
     */
    default java.util.Optional<Commit> mergeBase(String repository, String leftRef, String rightRef) {
        throw new UnsupportedOperationException("mergeBase");
    }

    /** Commits the branch's staged changes. */
    Commit commit(String repository, String branch, CommitRequest request);

    /** The commit {@code ref} resolves to. */
    Commit getCommit(String repository, String ref);

    /** Commits reachable from {@code ref}, newest first. */
    default Page<Commit> log(String repository, String ref, boolean firstParentOnly, String after, int amount) {
        return log(repository, ref, new LogFilter(firstParentOnly, List.of(), List.of()), after, amount);
    }

    /**
     * Commits reachable from {@code ref}, newest first, that the filter keeps: with objects or prefixes,
     * only those that changed one of them relative to their first parent. {@code after} is a commit id
     * of the history (kept or not); the page holds at most {@code amount} kept commits.
     */
    Page<Commit> log(String repository, String ref, LogFilter filter, String after, int amount);

    /** Drops uncommitted changes of the branch: all of them, one path, or a prefix. */
    void reset(String repository, String branch, ResetScope scope);

    /**
     * Commits, on a branch without uncommitted changes, the inverse of the changes that
     * {@code commitRef} made relative to its {@code parentNumber}-th parent (1-based).
     */
    Commit revert(String repository, String branch, String commitRef, int parentNumber,
                  CommitRequest request);

    /**
     * Commits on a branch without uncommitted changes the changes {@code commitRef} made relative to its
     * {@code parentNumber}-th parent (1-based), through a three-way merge; any conflict fails with
     * {@link io.tarn.error.MergeConflictException}. An empty message or metadata takes the commit's.
     */
    default Commit cherryPick(String repository, String branch, String commitRef, int parentNumber,
                              CommitRequest request) {
        throw new UnsupportedOperationException("cherryPick");
    }

    /**
     * Points a branch without uncommitted changes at the commit {@code ref} designates (any commit,
     * related or not); returns that commit.
     */
    default Commit hardReset(String repository, String branch, String ref) {
        throw new UnsupportedOperationException("hardReset");
    }

    /**
     * Three-way merge of the commit {@code sourceRef} designates (a branch: its last commit, without
     * its uncommitted changes) into {@code destinationBranch} through their merge base. The destination
     * must have no uncommitted changes.
     */
    MergeResult merge(String repository, String sourceRef, String destinationBranch, MergeRequest request);

    // ---- repository settings: garbage-collection rules and the 2020 retention policy ----

    /** The repository's GC rules, empty when none are set. */
    default java.util.Optional<io.tarn.engine.model.GcRules> getGcRules(String repository) {
        throw new UnsupportedOperationException("gc rules");
    }

    /** Sets the GC rules: days must not be negative and every named branch must exist. */
    default void setGcRules(String repository, io.tarn.engine.model.GcRules rules) {
        throw new UnsupportedOperationException("gc rules");
    }

    /** Removes the GC rules; false when none were set. */
    default boolean deleteGcRules(String repository) {
        throw new UnsupportedOperationException("gc rules");
    }

    /** The 2020 API's retention policy, empty when none is set. */
    default java.util.Optional<io.tarn.engine.model.RetentionPolicy> getRetentionPolicy(String repository) {
        throw new UnsupportedOperationException("retention policy");
    }

    /** Sets the 2020 API's retention policy (at least one rule, each with a non-negative expiration). */
    default void setRetentionPolicy(String repository, io.tarn.engine.model.RetentionPolicy policy) {
        throw new UnsupportedOperationException("retention policy");
    }

    @Override
    void close();
}
