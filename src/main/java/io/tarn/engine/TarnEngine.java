package io.tarn.engine;

import com.github.benmanes.caffeine.cache.Cache;
import io.tarn.block.BlockStore;
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
import io.tarn.engine.model.LogFilter;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.PresignedMultipartUpload;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.model.StagingLocation;
import io.tarn.engine.model.Tag;
import io.tarn.engine.tree.CommittedTrees;
import io.tarn.kv.KvStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The versioning engine over a {@link KvStore} (metadata) and a {@link BlockStore} (object data and
 * committed trees). Every branch update is a compare-and-set on the branch record, so several engines
 * may share one store. The engine does not close the stores it was given.
 *
 * <p>This class only delegates; the work is done by {@link Repositories}, {@link BranchesAndTags},
 * {@link ObjectEntries} (with {@link StagedWrites}), {@link Changes}, {@link Commits} and
 * {@link Merges}, over the lookups they share in {@link EngineContext}.
 */
public final class TarnEngine implements Engine {

    private final EngineContext ctx;
    private final Repositories repositories;
    private final BranchesAndTags branchesAndTags;
    private final ObjectEntries objects;
    private final Changes changes;
    private final Commits commits;
    private final Merges merges;
    private final MultipartUploads multipart;
    private final DirectTransfers direct;
    private final Imports imports;
    private final RepositorySettings settings;

    public TarnEngine(KvStore kv, BlockStore blocks, EngineConfig config) {
        this.ctx = new EngineContext(kv, blocks, config);
        this.repositories = new Repositories(ctx);
        this.branchesAndTags = new BranchesAndTags(ctx);
        this.objects = new ObjectEntries(ctx);
        this.changes = new Changes(ctx);
        this.commits = new Commits(ctx);
        this.merges = new Merges(ctx);
        this.multipart = new MultipartUploads(ctx, objects);
        this.direct = new DirectTransfers(ctx, objects);
        this.imports = new Imports(ctx);
        this.settings = new RepositorySettings(ctx);
    }

    /** What the garbage collector reads and does through the engine (see {@link GcAccess}). */
    public GcAccess gcAccess() {
        return new GcAccess(ctx, settings, multipart);
    }

    // ---- repository settings ---------------------------------------------------------------

    @Override
    public java.util.Optional<io.tarn.engine.model.GcRules> getGcRules(String repository) {
        return settings.gcRules(repository);
    }

    @Override
    public void setGcRules(String repository, io.tarn.engine.model.GcRules rules) {
        settings.setGcRules(repository, rules);
    }

    @Override
    public boolean deleteGcRules(String repository) {
        return settings.deleteGcRules(repository);
    }

    @Override
    public java.util.Optional<io.tarn.engine.model.RetentionPolicy> getRetentionPolicy(String repository) {
        return settings.retentionPolicy(repository);
    }

    @Override
    public void setRetentionPolicy(String repository, io.tarn.engine.model.RetentionPolicy policy) {
        settings.setRetentionPolicy(repository, policy);
    }

    /**
     * Every cache of this engine, by metric name ({@code tarn.ranges.decoded}, {@code tarn.namespaces},
     * ...), each recording statistics, for a metrics registry to bind. docs/caches.md describes them.
     */
    public Map<String, Cache<?, ?>> caches() {
        Map<String, Cache<?, ?>> out = new TreeMap<>(ctx.trees.caches());
        out.put("tarn.namespaces", ctx.namespaces);
        out.put("tarn.commits", ctx.meta.commitCache());
        out.put("tarn.staging.tokens", ctx.tokenHints);
        out.put("tarn.repositories", ctx.repositoryHints);
        return Collections.unmodifiableMap(out);
    }

    /** The committed-tree layer (its range counters are what tests and benchmarks look at). */
    public CommittedTrees trees() {
        return ctx.trees;
    }

    // ---- imports ---------------------------------------------------------------------------

    @Override
    public ImportStatus startImport(String repository, String branch, List<ImportSource> sources, CommitRequest commit) {
        return imports.start(repository, branch, sources, commit);
    }

    @Override
    public ImportStatus importStatus(String repository, String branch, String id) {
        return imports.status(repository, branch, id);
    }

    @Override
    public boolean cancelImport(String repository, String branch, String id) {
        return imports.cancel(repository, branch, id);
    }

    // ---- direct transfers ------------------------------------------------------------------

    @Override
    public StagingLocation stagingLocation(String repository, String branch, String path, java.time.Duration presignTtl) {
        return direct.stagingLocation(repository, branch, path, presignTtl);
    }

    @Override
    public ObjectEntry linkPhysicalAddress(String repository, String branch, String path, String physicalAddress,
                                           String checksum, long size, String contentType,
                                           Map<String, String> userMetadata) {
        return direct.link(repository, branch, path, physicalAddress, checksum, size, contentType, userMetadata);
    }

    @Override
    public ObjectEntry stageExternalObject(String repository, String branch, String path, String physicalAddress,
                                           String checksum, long size, String contentType,
                                           Map<String, String> userMetadata) {
        return direct.stageExternal(repository, branch, path, physicalAddress, checksum, size, contentType, userMetadata);
    }

    @Override
    public java.util.Optional<java.net.URI> presignGet(Repository repository, ObjectEntry entry, java.time.Duration ttl) {
        return direct.presignGet(repository, entry, ttl);
    }

    // ---- multipart uploads -----------------------------------------------------------------

    @Override
    public MultipartUpload createMultipartUpload(String repository, String branch, String path, String contentType,
                                                 Map<String, String> userMetadata,
                                                 ContentChecksum.Algorithm checksumAlgorithm,
                                                 ContentChecksum.Type checksumType) {
        return multipart.create(repository, branch, path, contentType, userMetadata, checksumAlgorithm, checksumType);
    }

    @Override
    public MultipartUpload getMultipartUpload(String repository, String uploadId) {
        return multipart.get(repository, uploadId);
    }

    @Override
    public PartResult uploadPart(String repository, String uploadId, int partNumber, InputStream data,
                                 long contentLength, Supplier<ContentChecksum> partChecksum) {
        return multipart.uploadPart(repository, uploadId, partNumber, data, contentLength, partChecksum);
    }

    @Override
    public Map<Integer, ContentChecksum> partChecksums(String repository, String uploadId) {
        return multipart.partChecksums(repository, uploadId);
    }

    @Override
    public List<PartResult> listParts(String repository, String uploadId) {
        return multipart.listParts(repository, uploadId);
    }

    @Override
    public ObjectEntry completeMultipartUpload(String repository, String uploadId, List<PartResult> parts,
                                               Function<List<PartResult>, ContentChecksum> objectChecksum) {
        return multipart.complete(repository, uploadId, parts, objectChecksum);
    }

    @Override
    public void abortMultipartUpload(String repository, String uploadId) {
        multipart.abort(repository, uploadId);
    }

    @Override
    public PresignedMultipartUpload createPresignedMultipartUpload(String repository, String branch, String path,
                                                                   int parts, java.time.Duration ttl) {
        return multipart.createPresigned(repository, branch, path, parts, ttl);
    }

    @Override
    public ObjectEntry completePresignedMultipartUpload(String repository, String branch, String path,
                                                        String uploadId, String physicalAddress,
                                                        List<PartResult> parts, String contentType,
                                                        Map<String, String> userMetadata) {
        return multipart.completePresigned(repository, branch, path, uploadId, physicalAddress, parts, contentType,
                userMetadata);
    }

    @Override
    public void abortPresignedMultipartUpload(String repository, String branch, String path, String uploadId,
                                              String physicalAddress) {
        multipart.abortPresigned(repository, branch, path, uploadId, physicalAddress);
    }

    @Override
    public Page<MultipartUpload> listMultipartUploads(String repository, String after, int amount) {
        return multipart.list(repository, after, amount);
    }

    // ---- repositories ----------------------------------------------------------------------

    @Override
    public Repository createRepository(String id, String storageNamespace, String defaultBranch) {
        return repositories.create(id, storageNamespace, defaultBranch);
    }

    @Override
    public Repository getRepository(String id) {
        return repositories.get(id);
    }

    @Override
    public Page<Repository> listRepositories(String after, int amount) {
        return repositories.list(after, amount);
    }

    @Override
    public void deleteRepository(String id) {
        repositories.delete(id);
    }

    // ---- branches and tags -----------------------------------------------------------------

    @Override
    public Branch createBranch(String repository, String name, String sourceRef) {
        return branchesAndTags.createBranch(repository, name, sourceRef);
    }

    @Override
    public Branch getBranch(String repository, String name) {
        return branchesAndTags.getBranch(repository, name);
    }

    @Override
    public Page<Branch> listBranches(String repository, String after, int amount) {
        return branchesAndTags.listBranches(repository, after, amount);
    }

    @Override
    public void deleteBranch(String repository, String name) {
        branchesAndTags.deleteBranch(repository, name);
    }

    @Override
    public Tag createTag(String repository, String name, String ref) {
        return branchesAndTags.createTag(repository, name, ref);
    }

    @Override
    public Tag getTag(String repository, String name) {
        return branchesAndTags.getTag(repository, name);
    }

    @Override
    public Page<Tag> listTags(String repository, String after, int amount) {
        return branchesAndTags.listTags(repository, after, amount);
    }

    @Override
    public void deleteTag(String repository, String name) {
        branchesAndTags.deleteTag(repository, name);
    }

    // ---- objects ---------------------------------------------------------------------------

    @Override
    public ObjectEntry putObject(String repository, String branch, String path, InputStream content,
                                 long contentLength, String contentType, Map<String, String> userMetadata) {
        return objects.put(repository, branch, path, content, contentLength, contentType, userMetadata);
    }

    @Override
    public ObjectEntry putObject(String repository, String branch, String path, Content content,
                                 long contentLength, String contentType, Map<String, String> userMetadata)
            throws IOException {
        return objects.put(repository, branch, path, content, contentLength, contentType, userMetadata, null);
    }

    @Override
    public ObjectEntry putObject(String repository, String branch, String path, Content content,
                                 long contentLength, String contentType, Map<String, String> userMetadata,
                                 Supplier<ContentChecksum> contentChecksum) throws IOException {
        return objects.put(repository, branch, path, content, contentLength, contentType, userMetadata,
                contentChecksum);
    }

    @Override
    public ObjectEntry stageObject(String repository, String branch, ObjectEntry entry) {
        return objects.stage(repository, branch, entry);
    }

    @Override
    public Repository lastReadRepository(String id) {
        Repository known = id == null ? null : ctx.repositoryHints.getIfPresent(id);
        return known != null ? known : getRepository(id);
    }

    @Override
    public LocatedObject locateObject(String repository, String ref, String path) {
        return objects.locate(repository, ref, path);
    }

    @Override
    public ObjectEntry statObject(String repository, String ref, String path) {
        return objects.stat(repository, ref, path);
    }

    @Override
    public InputStream readObject(String repository, ObjectEntry entry, ByteRange range) {
        return objects.read(repository, entry, range);
    }

    @Override
    public ObjectEntry statObject(Repository repository, String ref, String path) {
        return objects.stat(repository, ref, path);
    }

    @Override
    public InputStream readObject(Repository repository, ObjectEntry entry, ByteRange range) {
        return objects.read(repository, entry, range);
    }

    @Override
    public void deleteObject(String repository, String branch, String path) {
        objects.delete(repository, branch, path);
    }

    @Override
    public Page<ListItem> listObjects(String repository, String ref, String prefix, String delimiter,
                                      String after, int amount) {
        return objects.list(repository, ref, prefix, delimiter, after, amount);
    }

    // ---- diffs -----------------------------------------------------------------------------

    @Override
    public Page<Change> diffBranch(String repository, String branch, String after, int amount) {
        return changes.diffBranch(repository, branch, after, amount);
    }

    @Override
    public Page<Change> diffRefs(String repository, String leftRef, String rightRef, DiffType type,
                                 String after, int amount) {
        return changes.diffRefs(repository, leftRef, rightRef, type, after, amount);
    }

    @Override
    public java.util.Optional<Commit> mergeBase(String repository, String leftRef, String rightRef) {
        return changes.mergeBase(repository, leftRef, rightRef);
    }

    // ---- commits ---------------------------------------------------------------------------

    @Override
    public Commit commit(String repository, String branch, CommitRequest request) {
        return commits.commit(repository, branch, request);
    }

    @Override
    public Commit getCommit(String repository, String ref) {
        return commits.get(repository, ref);
    }

    @Override
    public Page<Commit> log(String repository, String ref, LogFilter filter, String after, int amount) {
        return commits.log(repository, ref, filter, after, amount);
    }

    @Override
    public void reset(String repository, String branch, ResetScope scope) {
        commits.reset(repository, branch, scope);
    }

    // ---- merge and revert ------------------------------------------------------------------

    @Override
    public MergeResult merge(String repository, String sourceRef, String destinationBranch, MergeRequest request) {
        return merges.merge(repository, sourceRef, destinationBranch, request);
    }

    @Override
    public Commit cherryPick(String repository, String branch, String commitRef, int parentNumber,
                             CommitRequest request) {
        return merges.cherryPick(repository, branch, commitRef, parentNumber, request);
    }

    @Override
    public Commit hardReset(String repository, String branch, String ref) {
        return commits.hardReset(repository, branch, ref);
    }

    @Override
    public Map<String, String> getRepositoryMetadata(String id) {
        return repositories.metadata(id);
    }

    @Override
    public Map<String, String> setRepositoryMetadata(String id, Map<String, String> entries) {
        return repositories.setMetadata(id, entries);
    }

    @Override
    public Map<String, String> deleteRepositoryMetadata(String id, java.util.Collection<String> keys) {
        return repositories.deleteMetadata(id, keys);
    }

    @Override
    public Commit revert(String repository, String branch, String commitRef, int parentNumber, CommitRequest request) {
        return merges.revert(repository, branch, commitRef, parentNumber, request);
    }

    @Override
    public void close() {
        imports.close();
        ctx.trees.close();
    }
}
