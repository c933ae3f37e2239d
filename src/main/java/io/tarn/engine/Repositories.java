package io.tarn.engine;

import io.tarn.block.BlockStoreException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.StorageNamespace;
import io.tarn.block.StorageNamespaces;
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

    /** Repositories listed per page when looking for namespaces that overlap a new one. */
    private static final int OVERLAP_PAGE = 1000;

    private final EngineContext ctx;
    /** Held while a repository claims its namespace, so two creations in this engine cannot overlap unseen. */
    private final Object claims = new Object();

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
        Repository repo;
        synchronized (claims) {
            if (ctx.meta.repository(id).isPresent()) {
                throw new AlreadyExistsException("repository " + id + " already exists");
            }
            refuseOverlaps(ns, id);
            claimNamespace(ns, id);
            ctx.trees.forgetNamespace(ns);
            long now = Instant.now().getEpochSecond();
            Commit initial = CommitCodec.create(List.of(), "", "Repository created", now, Map.of(), TreeIndex.EMPTY_ID, 1);
            ctx.meta.putCommit(id, initial);
            if (!ctx.meta.casBranch(id, defaultBranch, null, new BranchRecord(initial.id(), Staging.newToken(), List.of()))) {
                throw new AlreadyExistsException("repository " + id + " already exists");
            }
            repo = new Repository(id, storageNamespace, defaultBranch, now, java.util.UUID.randomUUID().toString());
            if (!ctx.meta.createRepository(repo)) {
                throw new AlreadyExistsException("repository " + id + " already exists");
            }
            // Another server on the same metadata store may have created an overlapping repository
            // between the check above and our record: look again now that ours is visible. Of two such
            // creations at least one sees the other and withdraws (possibly both; never neither).
            try {
                refuseOverlaps(ns, id);
            } catch (AlreadyExistsException raced) {
                delete(id);
                throw raced;
            }
        }
        ctx.rememberNamespace(id, ns);
        return repo;
    }

    /**
     * Refuses a namespace that is another repository's, lies inside another repository's, or holds
     * another repository's inside it: their objects, ranges and markers would mix. Namespaces are
     * compared by scheme, bucket and whole path segments ({@code local://a/b} is inside {@code local://a},
     * {@code local://ab} is not), both as written and as the places they really are: on the local
     * store, {@code local://link-to-a/x} with {@code link-to-a} a link inside the root to {@code a}
     * is inside {@code local://a}.
     */
    private void refuseOverlaps(StorageNamespace ns, String id) {
        StorageNamespace real = real(ctx.blocks, ns);
        String after = null;
        while (true) {
            List<Repository> page = ctx.meta.repositories(after, OVERLAP_PAGE);
            for (Repository other : page) {
                if (other.id().equals(id)) {
                    continue;
                }
                StorageNamespace theirs;
                try {
                    theirs = StorageNamespaces.parse(other.storageNamespace(), ns.scheme());
                } catch (InvalidNamespaceException otherStore) {
                    continue; // on another kind of store: cannot overlap
                }
                String how = overlap(ctx.blocks, ns, real, theirs);
                if (how != null) {
                    throw new AlreadyExistsException("storage namespace " + ns.uri() + (how.equals("is")
                            ? " already in use by repository " + other.id()
                            : " " + how + " storage namespace " + other.storageNamespace() + " of repository "
                                    + other.id() + ": one repository's namespace cannot hold another's"));
                }
            }
            if (page.size() < OVERLAP_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /**
     * How {@code mine} overlaps {@code theirs} as written or as the places they really are (links
     * resolved: {@link io.tarn.block.BlockStore#realNamespace}), or null when apart both ways.
     *
     * @param mineReal {@code mine} resolved ({@link #real})
     */
    static String overlap(io.tarn.block.BlockStore blocks, StorageNamespace mine, StorageNamespace mineReal,
                          StorageNamespace theirs) {
        String how = overlap(mine, theirs);
        if (how == null) {
            how = overlap(mineReal, real(blocks, theirs));
        }
        return how;
    }

    /** {@code ns} with the links on the way resolved, or as written where it cannot be resolved. */
    static StorageNamespace real(io.tarn.block.BlockStore blocks, StorageNamespace ns) {
        try {
            return blocks.realNamespace(ns);
        } catch (BlockStoreException unresolvable) {
            return ns; // a namespace whose link broke since, or leads out: compared as written
        }
    }

    /** How {@code mine} overlaps {@code theirs} ("is", "is inside", "contains"), or null when apart. */
    static String overlap(StorageNamespace mine, StorageNamespace theirs) {
        if (!mine.scheme().equals(theirs.scheme()) || !mine.bucket().equals(theirs.bucket())) {
            return null;
        }
        String a = mine.prefix();
        String b = theirs.prefix();
        if (a.equals(b)) {
            return "is";
        }
        if (b.isEmpty() || a.startsWith(b + "/")) {
            return "is inside";
        }
        if (a.isEmpty() || b.startsWith(a + "/")) {
            return "contains";
        }
        return null;
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

    /** The most metadata a repository keeps, in bytes of keys and values together. */
    static final int MAX_METADATA_BYTES = 64 * 1024;

    Map<String, String> metadata(String id) {
        ctx.repo(id);
        return ctx.meta.repositoryMetadata(id).metadata();
    }

    /** Sets (adds or replaces) the given keys of a repository's metadata, keeping the others. */
    Map<String, String> setMetadata(String id, Map<String, String> entries) {
        ctx.repo(id);
        if (entries == null) {
            throw new InvalidArgumentException("metadata is missing");
        }
        entries.forEach((k, v) -> {
            if (k == null || k.isEmpty()) {
                throw new InvalidArgumentException("metadata keys must not be empty");
            }
            if (v == null) {
                throw new InvalidArgumentException("metadata value of " + k + " must be a string");
            }
        });
        return updateMetadata(id, current -> {
            Map<String, String> next = new java.util.TreeMap<>(current);
            next.putAll(entries);
            long size = next.entrySet().stream()
                    .mapToLong(e -> e.getKey().length() + (long) e.getValue().length()).sum();
            if (size > MAX_METADATA_BYTES) {
                throw new InvalidArgumentException("repository metadata would exceed " + MAX_METADATA_BYTES
                        + " characters of keys and values");
            }
            return next;
        });
    }

    /** Removes the given keys of a repository's metadata (absent keys are ignored, as lakeFS does). */
    Map<String, String> deleteMetadata(String id, java.util.Collection<String> keys) {
        ctx.repo(id);
        if (keys == null) {
            throw new InvalidArgumentException("keys are missing");
        }
        return updateMetadata(id, current -> {
            Map<String, String> next = new java.util.TreeMap<>(current);
            keys.forEach(next::remove);
            return next;
        });
    }

    private Map<String, String> updateMetadata(String id,
                                               java.util.function.UnaryOperator<Map<String, String>> change) {
        return ctx.retry.run("repository " + id, "updating its metadata", () -> {
            MetaStore.StoredMetadata stored = ctx.meta.repositoryMetadata(id);
            Map<String, String> next = change.apply(stored.metadata());
            return ctx.meta.casRepositoryMetadata(id, stored.raw(), next)
                    ? java.util.Optional.of(Map.copyOf(next)) : java.util.Optional.empty();
        });
    }
}
