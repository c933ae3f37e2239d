package io.tarn.engine;

import io.tarn.block.BlockKeys;
import io.tarn.block.BlockList;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockStat;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.BinaryReader;
import io.tarn.engine.codec.BinaryWriter;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ImportSource;
import io.tarn.engine.model.ImportStatus;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.refs.Names;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.engine.tree.TreeWriter;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Zero-copy imports: the objects of block-store locations (outside every repository's namespace)
 * become entries of one new commit on a branch, pointing at the data where it is.
 *
 * <p>The listing streams into a staging token of the import's own (in the KV store, which keeps it
 * sorted), so memory does not grow with the number of objects; the token is then applied to the
 * branch's head tree like a commit's staged changes, and the branch moves to the new commit with a
 * compare-and-set (its own staged changes stay staged). Imports run on a background worker of the
 * engine that started them; their status, in {@code import/<repo>/<id>}, is readable by every server.
 */
final class Imports implements AutoCloseable {
    /** Progress is recorded every this many objects (and cancellation checked). */
    static final int PROGRESS_EVERY = 10_000;
    /** Entries staged per write of the KV store (one sync each where writes are synced). */
    static final int BATCH = 1_000;
    static final String CANCELED = "import canceled";

    private final EngineContext ctx;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "tarn-import");
        t.setDaemon(true);
        return t;
    });
    /** Imports of this engine asked to stop. */
    private final Set<String> canceled = ConcurrentHashMap.newKeySet();

    Imports(EngineContext ctx) {
        this.ctx = ctx;
    }

    ImportStatus start(String repository, String branch, List<ImportSource> sources, CommitRequest commit) {
        Repository r = ctx.repo(repository);
        ctx.branch(repository, branch);
        if (sources == null || sources.isEmpty()) {
            throw new InvalidArgumentException("an import needs at least one source path");
        }
        if (commit == null || commit.message() == null || commit.message().isBlank()) {
            throw new InvalidArgumentException("an import needs a commit message");
        }
        for (ImportSource s : sources) {
            check(s);
        }
        String id = Staging.newToken();
        ImportStatus status = new ImportStatus(id, branch, false, System.currentTimeMillis(), 0, null, null);
        save(repository, status, false);
        workers.submit(() -> run(r, status, sources, commit));
        return status;
    }

    private void check(ImportSource s) {
        if (s == null || s.kind() == null || s.location() == null) {
            throw new InvalidArgumentException("an import path needs a type, a path and a destination");
        }
        String destination = s.destination() == null ? "" : s.destination();
        if (s.kind() == ImportSource.Kind.OBJECT) {
            Names.path(destination);
            BlockLocations.locate(ctx.blocks, s.location());
        } else {
            if (!destination.isEmpty()) {
                Names.path(destination);
            }
            prefixRoot(s.location());
        }
        BlockLocations.requireOutsideRepositories(ctx, s.location());
    }

    /** A prefix location as its root namespace and key prefix (which may be empty: the whole bucket). */
    private BlockLocations.Located prefixRoot(String location) {
        int sep = location.indexOf("://");
        String rest = sep < 0 ? "" : location.substring(sep + 3);
        if (rest.indexOf('/') < 0 || rest.endsWith("/") && rest.indexOf('/') == rest.length() - 1) {
            // s3://bucket or s3://bucket/: the whole bucket; locate needs a key, so list from the root
            String root = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
            BlockLocations.Located probe = BlockLocations.locate(ctx.blocks, location.substring(0, sep + 3) + root + "/x");
            return new BlockLocations.Located(probe.ns(), "");
        }
        String keyPrefix = rest.substring(rest.indexOf('/') + 1);
        String trimmed = keyPrefix.endsWith("/") ? keyPrefix.substring(0, keyPrefix.length() - 1) : keyPrefix;
        BlockLocations.Located at = BlockLocations.locate(ctx.blocks,
                location.substring(0, sep + 3) + rest.substring(0, rest.indexOf('/') + 1) + trimmed);
        return new BlockLocations.Located(at.ns(), keyPrefix);
    }

    ImportStatus status(String repository, String branch, String id) {
        ctx.repo(repository);
        ctx.branch(repository, branch);
        ImportStatus s = load(repository, id);
        if (!s.branch().equals(branch)) {
            throw new NotFoundException(NotFoundException.Kind.IMPORT, id);
        }
        return s;
    }

    /** Asks a running import to stop; false when it already ended (completed or failed). */
    boolean cancel(String repository, String branch, String id) {
        ImportStatus s = status(repository, branch, id);
        if (s.completed() || s.error() != null) {
            return false;
        }
        canceled.add(id);
        // a server other than the worker's sees the mark in the record
        save(repository, s, true);
        return true;
    }

    private void run(Repository r, ImportStatus started, List<ImportSource> sources, CommitRequest request) {
        String repository = r.id();
        String token = Staging.newToken();
        long[] ingested = {0};
        try {
            for (ImportSource s : sources) {
                Pending pending = new Pending(token);
                ingest(repository, started, s, pending, ingested);
                pending.flush();
            }
            progress(repository, started, ingested[0]); // a last look for a cancel before committing
            Commit c = commit(r, started.branch(), token, replaced(sources), request);
            save(repository, new ImportStatus(started.id(), started.branch(), true, System.currentTimeMillis(),
                    ingested[0], null, c), false);
        } catch (Canceled e) {
            save(repository, new ImportStatus(started.id(), started.branch(), false, System.currentTimeMillis(),
                    ingested[0], CANCELED, null), false);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            save(repository, new ImportStatus(started.id(), started.branch(), false, System.currentTimeMillis(),
                    ingested[0], message, null), false);
        } finally {
            ctx.staging.drop(token);
            canceled.remove(started.id());
        }
    }

    private static final class Canceled extends RuntimeException {
        Canceled() {
            super(CANCELED, null, false, false);
        }
    }

    /** Entries listed but not yet written to the import's token (at most {@link #BATCH}). */
    private final class Pending {
        private final String token;
        private final List<Record> entries = new ArrayList<>(BATCH);

        Pending(String token) {
            this.token = token;
        }

        void add(String path, String address, long size, String etag, long mtime) {
            ObjectEntry entry = new ObjectEntry(path, address, size,
                    etag == null ? "" : etag.toLowerCase(Locale.ROOT), mtime, null, Map.of());
            entries.add(new Record(Names.path(path), EntryCodec.encode(entry)));
            if (entries.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            ctx.staging.putAll(token, entries);
            entries.clear();
        }
    }

    private void ingest(String repository, ImportStatus started, ImportSource s, Pending pending, long[] ingested) {
        String destination = s.destination() == null ? "" : s.destination();
        if (s.kind() == ImportSource.Kind.OBJECT) {
            BlockLocations.Located at = BlockLocations.locate(ctx.blocks, s.location());
            BlockStat stat = ctx.blocks.stat(at.ns(), at.key()).orElseThrow(() -> new InvalidArgumentException(
                    "no object at " + s.location()));
            pending.add(destination, uri(at.ns(), at.key()), stat.size(), stat.etag(), stat.lastModified().toEpochMilli());
            ingested[0]++;
            return;
        }
        BlockLocations.Located root = prefixRoot(s.location());
        try (BlockList listing = ctx.blocks.list(root.ns(), root.key())) {
            while (listing.hasNext()) {
                BlockListing o = listing.next();
                if (BlockKeys.problem(o.key()) != null) {
                    continue; // not an object key (the store's own bookkeeping, or a name no client could use)
                }
                String path = destination + o.key().substring(root.key().length());
                try {
                    Names.path(path);
                } catch (InvalidArgumentException e) {
                    throw new InvalidArgumentException("cannot import " + uri(root.ns(), o.key())
                            + ": its path on the branch is not a valid object path: " + e.getMessage());
                }
                String etag = o.etag();
                if (etag == null) { // a listing that does not read ETags (the local store's)
                    etag = ctx.blocks.stat(root.ns(), o.key()).map(BlockStat::etag).orElse(null);
                    if (etag == null) {
                        continue; // removed while listed
                    }
                }
                pending.add(path, uri(root.ns(), o.key()), o.size(), etag, o.lastModified().toEpochMilli());
                if (++ingested[0] % PROGRESS_EVERY == 0) {
                    progress(repository, started, ingested[0]);
                }
            }
        }
        progress(repository, started, ingested[0]);
    }

    /** Records progress, and stops when the import was canceled (here or in its record). */
    private void progress(String repository, ImportStatus started, long ingested) {
        if (canceled.contains(started.id()) || loadCanceled(repository, started.id())) {
            throw new Canceled();
        }
        save(repository, new ImportStatus(started.id(), started.branch(), false, System.currentTimeMillis(),
                ingested, null, null), false);
    }

    /** The destinations of the prefix sources: what the import replaces on the branch, as lakeFS does. */
    private static List<byte[]> replaced(List<ImportSource> sources) {
        return sources.stream().filter(s -> s.kind() == ImportSource.Kind.PREFIX)
                .map(s -> Bytes.utf8(s.destination() == null ? "" : s.destination())).toList();
    }

    /**
     * Applies the import's token to the head tree and moves the branch, keeping its staged changes: under
     * each prefix destination the tree then holds exactly what was imported (committed objects there that
     * the source does not have are removed), elsewhere only the imported paths change.
     */
    private Commit commit(Repository r, String branch, String token, List<byte[]> replaced, CommitRequest req) {
        StorageNamespace ns = ctx.ns(r);
        String repository = r.id();
        return ctx.retry.run("branch " + branch, "committing an import", () -> {
            Commit parent = ctx.commit(repository, ctx.branch(repository, branch).record().commitId());
            TreeWriter.Result result;
            TreeIndex base = ctx.trees.tree(ns, parent.treeId());
            try (Staging.Scan imported = ctx.staging.scan(List.of(token), null)) {
                result = ctx.trees.apply(ns, base, replaced.isEmpty() ? imported
                        : new PrefixReplacement(imported, ctx.trees.cursor(ns, base), replaced));
            }
            Commit c = CommitCodec.create(List.of(parent.id()), req.committer(), req.message(),
                    req.creationDate(), req.metadata(), result.treeId(), parent.generation() + 1);
            ctx.meta.putCommit(repository, c);
            return ctx.finish(repository, branch, parent.id(), List.of(), c.id()) ? Optional.of(c) : Optional.empty();
        });
    }

    private static String uri(StorageNamespace ns, String key) {
        return ns.uri().endsWith("/") ? ns.uri() + key : ns.uri() + "/" + key;
    }

    // ---- status records ----

    private void save(String repository, ImportStatus s, boolean cancelRequested) {
        BinaryWriter w = new BinaryWriter()
                .writeString(s.branch())
                .writeByte(s.completed() ? 1 : 0)
                .writeVarLong(s.updateTime())
                .writeVarLong(s.ingested())
                .writeNullableString(s.error())
                .writeNullableString(s.commit() == null ? null : s.commit().id())
                .writeByte(cancelRequested ? 1 : 0);
        ctx.kv.put(KeyLayout.importStatus(repository, s.id()), w.toByteArray());
    }

    private ImportStatus load(String repository, String id) {
        byte[] raw = ctx.kv.get(KeyLayout.importStatus(repository, id))
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.IMPORT, id));
        BinaryReader in = new BinaryReader(raw);
        String branch = in.readString();
        boolean completed = in.readByte() == 1;
        long updateTime = in.readVarLong();
        long ingested = in.readVarLong();
        String error = in.readNullableString();
        String commitId = in.readNullableString();
        Commit commit = commitId == null ? null : ctx.commit(repository, commitId);
        return new ImportStatus(id, branch, completed, updateTime, ingested, error, commit);
    }

    private boolean loadCanceled(String repository, String id) {
        return ctx.kv.get(KeyLayout.importStatus(repository, id)).map(raw -> {
            BinaryReader in = new BinaryReader(raw);
            in.readString();
            in.readByte();
            in.readVarLong();
            in.readVarLong();
            in.readNullableString();
            in.readNullableString();
            return in.readByte() == 1;
        }).orElse(true);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
