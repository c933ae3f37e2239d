package io.tarn.engine;

import io.tarn.block.BlockStoreException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.TreeIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Creating, reading, listing and deleting repositories, and claiming their storage namespace. */
final class Repositories {

    static final String NAMESPACE_MARKER = "_tarn/namespace.json";
    private static final Pattern MARKER_OWNER = Pattern.compile("\"repository\"\\s*:\\s*\"([^\"]*)\"");

    private final EngineContext ctx;

    Repositories(EngineContext ctx) {
        this.ctx = ctx;
    }

    Repository create(String id, String storageNamespace, String defaultBranch) {
        Names.repository(id);
        Names.branch(defaultBranch);
        if (storageNamespace == null || storageNamespace.isBlank()) {
            throw new InvalidArgumentException("storage namespace must not be empty");
        }
        StorageNamespace ns;
        try {
            ns = ctx.blocks.namespace(storageNamespace);
        } catch (InvalidNamespaceException e) {
            throw new InvalidArgumentException("invalid storage namespace: " + e.getMessage());
        }
        if (ctx.meta.repository(id).isPresent()) {
            throw new AlreadyExistsException("repository " + id + " already exists");
        }
        claimNamespace(ns, id);
        ctx.trees.forgetNamespace(ns);
        long now = Instant.now().getEpochSecond();
        Commit initial = CommitCodec.create(List.of(), "", "Repository created", now, Map.of(), TreeIndex.EMPTY_ID, 1);
        ctx.meta.putCommit(id, initial);
        if (!ctx.meta.casBranch(id, defaultBranch, null, new BranchRecord(initial.id(), Staging.newToken(), List.of()))) {
            throw new AlreadyExistsException("repository " + id + " already exists");
        }
        Repository repo = new Repository(id, storageNamespace, defaultBranch, now);
        if (!ctx.meta.createRepository(repo)) {
            throw new AlreadyExistsException("repository " + id + " already exists");
        }
        ctx.rememberNamespace(id, ns);
        return repo;
    }

    /** Probes the namespace: refuses one that holds another repository, and checks it can be written and read. */
    private void claimNamespace(StorageNamespace ns, String id) {
        byte[] marker = ("{\"repository\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            if (ctx.blocks.stat(ns, NAMESPACE_MARKER).isPresent()) {
                String owner = readMarkerOwner(ns);
                if (!id.equals(owner)) {
                    throw new AlreadyExistsException("storage namespace " + ns.uri() + " already in use by repository "
                            + (owner == null ? "(unknown)" : owner));
                }
            }
            ctx.blocks.put(ns, NAMESPACE_MARKER, new ByteArrayInputStream(marker), marker.length);
            if (!id.equals(readMarkerOwner(ns))) {
                throw new InvalidArgumentException("storage namespace not reachable: marker did not read back");
            }
        } catch (BlockStoreException e) {
            throw new InvalidArgumentException("storage namespace not reachable: " + e.getMessage());
        }
    }

    private String readMarkerOwner(StorageNamespace ns) {
        try (InputStream in = ctx.blocks.get(ns, NAMESPACE_MARKER, null)) {
            Matcher m = MARKER_OWNER.matcher(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            throw new BlockStoreException("cannot read " + NAMESPACE_MARKER + ": " + e.getMessage(), e);
        }
    }

    Repository get(String id) {
        return ctx.repo(id);
    }

    Page<Repository> list(String after, int amount) {
        amount = Names.amount(amount);
        return EngineContext.page(ctx.meta.repositories(after, amount + 1), amount, Repository::id);
    }

    void delete(String id) {
        ctx.repo(id);
        ctx.meta.deleteRepository(id);
        for (MetaStore.StoredBranchNamed b : ctx.meta.branches(id, null, Integer.MAX_VALUE)) {
            ctx.dropStaging(b.record());
        }
        ctx.meta.deleteRefsAndCommits(id);
        ctx.forgetNamespace(id);
    }
}
