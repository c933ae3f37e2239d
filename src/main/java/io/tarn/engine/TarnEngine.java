package io.tarn.engine;

import com.github.benmanes.caffeine.cache.Cache;
import io.tarn.block.BlockStore;
import io.tarn.block.ByteRange;
import io.tarn.block.PartResult;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.model.Tag;
import io.tarn.engine.tree.CommittedTrees;
import io.tarn.kv.KvStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        out.put("tarn.staging.tokens", objects.writes.tokenHints);
        return Collections.unmodifiableMap(out);
    }

    /** The committed-tree layer (its range counters are what tests and benchmarks look at). */
    public CommittedTrees trees() {
        return ctx.trees;
    }

    // ---- multipart uploads -----------------------------------------------------------------

    @Override
    public MultipartUpload createMultipartUpload(String repository, String branch, String path, String contentType,
                                                 Map<String, String> userMetadata) {
        return multipart.create(repository, branch, path, contentType, userMetadata);
    }

    @Override
    public MultipartUpload getMultipartUpload(String repository, String uploadId) {
        return multipart.get(repository, uploadId);
    }

    @Override
    public PartResult uploadPart(String repository, String uploadId, int partNumber, InputStream data,
                                 long contentLength) {
        return multipart.uploadPart(repository, uploadId, partNumber, data, contentLength);
    }

    @Override
    public List<PartResult> listParts(String repository, String uploadId) {
        return multipart.listParts(repository, uploadId);
    }

    @Override
    public ObjectEntry completeMultipartUpload(String repository, String uploadId, List<PartResult> parts) {
        return multipart.complete(repository, uploadId, parts);
    }

    @Override
    public void abortMultipartUpload(String repository, String uploadId) {
        multipart.abort(repository, uploadId);
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
        return objects.put(repository, branch, path, content, contentLength, contentType, userMetadata);
    }

    @Override
    public ObjectEntry stageObject(String repository, String branch, ObjectEntry entry) {
        return objects.stage(repository, branch, entry);
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
    public Page<Commit> log(String repository, String ref, boolean firstParentOnly, String after, int amount) {
        return commits.log(repository, ref, firstParentOnly, after, amount);
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
    public Commit revert(String repository, String branch, String commitRef, int parentNumber, CommitRequest request) {
        return merges.revert(repository, branch, commitRef, parentNumber, request);
    }

    @Override
    public void close() {
        ctx.trees.close();
    }
}
