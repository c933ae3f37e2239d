package io.tarn.engine;

import io.tarn.block.BlockNotFoundException;
import io.tarn.block.ByteRange;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.refs.ResolvedRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Objects: upload, stage, stat, read, delete and list (a bare branch ref sees committed + staged). */
final class ObjectEntries {

    private final EngineContext ctx;
    final StagedWrites writes;
    private final ObjectAddresses addresses = new ObjectAddresses();

    /**
     * A new object's data must be written within this time of its address being handed out, or it is
     * not staged: the garbage collector's grace period is longer, so an address it may collect as
     * abandoned is never staged afterwards (docs/gc.md).
     */
    static final java.time.Duration UPLOAD_DEADLINE = java.time.Duration.ofHours(1);

    ObjectEntries(EngineContext ctx) {
        this.ctx = ctx;
        this.writes = new StagedWrites(ctx);
    }

    ObjectEntry put(String repository, String branch, String path, InputStream content,
                    long contentLength, String contentType, Map<String, String> userMetadata) {
        Repository r = ctx.repo(repository);
        byte[] key = Names.path(path);
        MetaStore.StoredBranch b = ctx.branch(repository, branch);
        return upload(r, b, branch, path, key, content, contentLength, contentType, userMetadata);
    }

    /** A put whose content is opened after the repository and branch were read (once each). */
    ObjectEntry put(String repository, String branch, String path, Engine.Content content,
                    long contentLength, String contentType, Map<String, String> userMetadata) throws IOException {
        Repository r = ctx.repo(repository);
        byte[] key = Names.path(path);
        MetaStore.StoredBranch b = ctx.branch(repository, branch);
        try (InputStream in = content.open()) {
            return upload(r, b, branch, path, key, in, contentLength, contentType, userMetadata);
        }
    }

    private ObjectEntry upload(Repository r, MetaStore.StoredBranch b, String branch, String path, byte[] key,
                               InputStream content, long contentLength, String contentType,
                               Map<String, String> userMetadata) {
        if (content == null) {
            throw new InvalidArgumentException("object content is missing");
        }
        long handedOut = System.currentTimeMillis();
        String address = addresses.next();
        PutResult put;
        try {
            put = ctx.blocks.put(ctx.ns(r), address, content, contentLength);
        } catch (IncompleteUploadException e) {
            // The block store's message names the physical address: keep it out of what clients see.
            throw new InvalidArgumentException("upload of " + path
                    + " is incomplete: the content ended early or could not be read; nothing was stored");
        }
        if (System.currentTimeMillis() - handedOut > UPLOAD_DEADLINE.toMillis()) {
            // the collector may already count this address as abandoned: never stage it (docs/gc.md)
            ctx.blocks.delete(ctx.ns(r), address);
            throw new InvalidArgumentException("upload of " + path + " took longer than " + UPLOAD_DEADLINE.toMinutes()
                    + " minutes; nothing was stored (upload large objects in parts)");
        }
        ObjectEntry entry = new ObjectEntry(path, address, put.size(), put.etag(), System.currentTimeMillis(),
                contentType, userMetadata);
        writes.stage(r.id(), branch, key, EntryCodec.encode(entry), b);
        return entry;
    }

    ObjectEntry stage(String repository, String branch, ObjectEntry entry) {
        if (repository == null || !Names.isRepositoryId(repository)) {
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, String.valueOf(repository));
        }
        if (entry == null) {
            throw new InvalidArgumentException("entry is missing");
        }
        byte[] key = Names.path(entry.path());
        if (entry.physicalAddress() == null || entry.physicalAddress().isEmpty()) {
            throw new InvalidArgumentException("physical address must not be empty");
        }
        if (entry.checksum() == null || entry.size() < 0) {
            throw new InvalidArgumentException("entry needs a checksum and a non-negative size");
        }
        // the branch read below also proves the repository exists (branch keys go with it)
        writes.stage(repository, branch, key, EntryCodec.encode(entry), null);
        return entry;
    }

    ObjectEntry stat(String repository, String ref, String path) {
        return stat(ctx.repo(repository), ref, path);
    }

    ObjectEntry stat(Repository r, String ref, String path) {
        byte[] key = Names.path(path);
        ResolvedRef rr = ctx.refs.resolve(r.id(), ref);
        byte[] v = ctx.lookup(ctx.ns(r), rr, key);
        if (v == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        return EntryCodec.decode(path, v);
    }

    InputStream read(String repository, ObjectEntry entry, ByteRange range) {
        return read(ctx.repo(repository), entry, range);
    }

    InputStream read(Repository r, ObjectEntry entry, ByteRange range) {
        try {
            return ctx.blocks.get(ctx.ns(r), entry.physicalAddress(), range);
        } catch (BlockNotFoundException e) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, entry.path());
        }
    }

    void delete(String repository, String branch, String path) {
        Repository r = ctx.repo(repository);
        byte[] key = Names.path(path);
        MetaStore.StoredBranch b = ctx.branch(repository, branch);
        Commit head = ctx.commit(repository, b.record().commitId());
        if (ctx.lookup(ctx.ns(r), new ResolvedRef(head, branch, b.record()), key) == null) {
            throw new NotFoundException(NotFoundException.Kind.OBJECT, path);
        }
        writes.stage(repository, branch, key, null, b);
    }

    Page<ListItem> list(String repository, String ref, String prefix, String delimiter, String after, int amount) {
        Repository r = ctx.repo(repository);
        amount = Names.amount(amount);
        StorageNamespace ns = ctx.ns(r);
        ResolvedRef rr = ctx.refs.resolve(repository, ref);
        byte[] pre = Bytes.utf8(prefix == null ? "" : prefix);
        byte[] delim = Bytes.utf8(delimiter == null ? "" : delimiter);
        byte[] start = pre;
        if (after != null && !after.isEmpty()) {
            byte[] a = Bytes.utf8(after);
            if (Bytes.compare(a, pre) >= 0) {
                start = Bytes.successor(a);
                if (delim.length > 0 && Bytes.startsWith(a, pre)) {
                    int idx = indexOf(a, delim, pre.length);
                    if (idx >= 0) {
                        // `after` lies inside a common prefix that was already listed: skip all of it
                        start = Bytes.prefixEnd(Arrays.copyOf(a, idx + delim.length));
                    }
                }
            }
        }
        List<ListItem> items = new ArrayList<>();
        if (start != null) {
            List<String> tokens = rr.hasStaging() ? rr.branch().readTokens() : List.of();
            try (BranchView view = new BranchView(ctx.trees, ctx.staging, ns, ctx.trees.tree(ns, rr.commit().treeId()), tokens)) {
                view.seek(start);
                while (view.hasNext() && items.size() <= amount) {
                    byte[] k = view.key();
                    if (!Bytes.startsWith(k, pre)) {
                        break;
                    }
                    int idx = delim.length == 0 ? -1 : indexOf(k, delim, pre.length);
                    if (idx >= 0) {
                        byte[] cp = Arrays.copyOf(k, idx + delim.length);
                        items.add(new CommonPrefix(Bytes.string(cp)));
                        byte[] next = Bytes.prefixEnd(cp);
                        if (next == null) {
                            break;
                        }
                        view.seek(next);
                    } else {
                        items.add(EntryCodec.decode(Bytes.string(k), view.value()));
                        view.advance();
                    }
                }
            }
        }
        return EngineContext.page(items, amount, ListItem::path);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
