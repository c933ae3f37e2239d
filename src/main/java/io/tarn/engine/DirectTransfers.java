package io.tarn.engine;

import io.tarn.block.BlockStat;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.StagingLocation;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.refs.Names;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Data that clients write to the block store themselves: an address handed out for a branch (with a
 * presigned PUT URL where the block store makes them), then linked once written; entries staged on
 * data already in the block store; presigned GET URLs of entries.
 *
 * <p>An address may only be linked into the repository it was handed out for, within
 * {@link #LINK_WINDOW}, once: each handed-out key is recorded under {@code linkaddr/<repo>/<key>} with
 * its deadline, and linking removes the record.
 */
final class DirectTransfers {
    /** How long a handed-out address can be linked. */
    /**
     * As long as an upload through the server may take (ObjectEntries.UPLOAD_DEADLINE): the garbage
     * collector's grace period is longer, so data it may count as abandoned is never linked afterwards
     * (docs/gc.md).
     */
    static final Duration LINK_WINDOW = ObjectEntries.UPLOAD_DEADLINE;

    private final EngineContext ctx;
    private final ObjectEntries objects;
    private final ObjectAddresses addresses = new ObjectAddresses();

    DirectTransfers(EngineContext ctx, ObjectEntries objects) {
        this.ctx = ctx;
        this.objects = objects;
    }

    StagingLocation stagingLocation(String repository, String branch, String path, Duration presignTtl) {
        Repository r = ctx.repo(repository);
        Names.path(path);
        ctx.branch(repository, branch);
        StorageNamespace ns = ctx.ns(r);
        String key = addresses.next();
        Optional<URI> url = Optional.empty();
        if (presignTtl != null) {
            url = ctx.blocks.presignPut(ns, key, presignTtl);
            if (url.isEmpty()) {
                throw new UnsupportedOperationException("presigned URLs on the " + ctx.blocks.type() + " block store");
            }
        }
        // recorded only once the answer is certain: a refused request leaves nothing behind
        long deadline = Instant.now().plus(LINK_WINDOW).getEpochSecond();
        ctx.kv.put(KeyLayout.linkAddress(repository, key), Bytes.utf8(Long.toString(deadline)));
        String uri = fullUri(r, key);
        return url.map(u -> new StagingLocation(uri, u.toString(), Instant.now().plus(presignTtl).getEpochSecond()))
                .orElseGet(() -> new StagingLocation(uri, null, null));
    }

    /**
     * Stages the data written at a handed-out address: it must exist, have the given size, and, when a
     * checksum is given, the block store's ETag must be that checksum.
     */
    ObjectEntry link(String repository, String branch, String path, String addressUri, String checksum, long size,
                     String contentType, Map<String, String> metadata) {
        Repository r = ctx.repo(repository);
        byte[] pathKey = Names.path(path);
        ctx.branch(repository, branch);
        String key = relativeKey(r, addressUri);
        byte[] record = KeyLayout.linkAddress(repository, key);
        Optional<byte[]> issued = key == null ? Optional.empty() : ctx.kv.get(record);
        if (issued.isEmpty()) {
            throw new InvalidArgumentException("physical address " + addressUri
                    + " was not handed out by getPhysicalAddress for repository " + repository + " (or is already linked)");
        }
        if (Long.parseLong(Bytes.string(issued.get())) < Instant.now().getEpochSecond()) {
            ctx.kv.delete(record);
            throw new InvalidArgumentException("physical address " + addressUri + " expired: link within "
                    + LINK_WINDOW.toMinutes() + " minutes of getPhysicalAddress");
        }
        BlockStat stat = ctx.blocks.stat(ctx.ns(r), key).orElseThrow(() -> new InvalidArgumentException(
                "nothing was written at physical address " + addressUri));
        ObjectEntry entry = checked(path, key, stat, checksum, size, contentType, metadata, addressUri);
        objects.writes.stage(repository, branch, pathKey, EntryCodec.encode(entry), null, r);
        ctx.kv.delete(record);
        return entry;
    }

    /** Stages an entry on data already in the block store, outside every repository's namespace. */
    ObjectEntry stageExternal(String repository, String branch, String path, String addressUri, String checksum,
                              long size, String contentType, Map<String, String> metadata) {
        ctx.repo(repository);
        byte[] pathKey = Names.path(path);
        ctx.branch(repository, branch);
        BlockLocations.Located at = BlockLocations.locate(ctx.blocks, addressUri);
        BlockLocations.requireOutsideRepositories(ctx, addressUri);
        BlockStat stat = ctx.blocks.stat(at.ns(), at.key()).orElseThrow(() -> new NotFoundException(
                NotFoundException.Kind.OBJECT, addressUri));
        ObjectEntry entry = checked(path, addressUri, stat, checksum, size, contentType, metadata, addressUri);
        objects.writes.stage(repository, branch, pathKey, EntryCodec.encode(entry), null, null);
        return entry;
    }

    /** A presigned GET URL of an entry's data, or empty where the block store makes none. */
    Optional<URI> presignGet(Repository r, ObjectEntry entry, Duration ttl) {
        if (BlockLocations.isFull(entry.physicalAddress())) {
            BlockLocations.Located at = BlockLocations.locate(ctx.blocks, entry.physicalAddress());
            return ctx.blocks.presignGet(at.ns(), at.key(), ttl);
        }
        return ctx.blocks.presignGet(ctx.ns(r), entry.physicalAddress(), ttl);
    }

    private static ObjectEntry checked(String path, String address, BlockStat stat, String checksum, long size,
                                       String contentType, Map<String, String> metadata, String shown) {
        if (size >= 0 && stat.size() != size) {
            throw new InvalidArgumentException("size_bytes " + size + " does not match the " + stat.size()
                    + " bytes stored at " + shown);
        }
        String etag = unquote(stat.etag());
        if (checksum != null && !checksum.isBlank() && !unquote(checksum).equalsIgnoreCase(etag)) {
            throw new InvalidArgumentException("checksum " + checksum + " does not match the block store's ETag "
                    + etag + " of " + shown);
        }
        return new ObjectEntry(path, address, stat.size(), etag.toLowerCase(Locale.ROOT), System.currentTimeMillis(),
                contentType == null || contentType.isEmpty() ? null : contentType, metadata);
    }

    private static String unquote(String etag) {
        String t = etag == null ? "" : etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static String fullUri(Repository r, String key) {
        String namespace = r.storageNamespace();
        return namespace.endsWith("/") ? namespace + key : namespace + "/" + key;
    }

    /** The namespace-relative key of a full URI inside the repository's namespace, or null. */
    private static String relativeKey(Repository r, String uri) {
        String namespace = r.storageNamespace().endsWith("/") ? r.storageNamespace() : r.storageNamespace() + "/";
        if (uri == null || !uri.startsWith(namespace) || uri.length() == namespace.length()) {
            return null;
        }
        return uri.substring(namespace.length());
    }
}
