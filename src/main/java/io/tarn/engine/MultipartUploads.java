package io.tarn.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.block.InvalidPartException;
import io.tarn.block.Multipart;
import io.tarn.block.PartResult;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.PresignedMultipartUpload;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.refs.Names;
import io.tarn.engine.staging.Staging;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Multipart uploads on the block store's own multipart support: the upload is created at a fresh
 * physical address, parts go straight to the block store, and completing it assembles the parts and
 * stages the entry on the branch (ETag of S3's {@code <md5 of the part MD5s>-<N>} form). The upload
 * and its target are kept under {@code multipart/<repo>/<id>} until it is completed or aborted, the
 * checksums clients sent with its parts under {@code multipart-part/<repo>/<id>/<n>}.
 */
final class MultipartUploads {
    private final EngineContext ctx;
    private final ObjectEntries objects;
    private final ObjectAddresses addresses = new ObjectAddresses();
    private final ObjectMapper json = new ObjectMapper();

    record Stored(@JsonProperty("branch") String branch, @JsonProperty("path") String path,
                  @JsonProperty("address") String address, @JsonProperty("block_upload_id") String blockUploadId,
                  @JsonProperty("created") long created, @JsonProperty("content_type") String contentType,
                  @JsonProperty("metadata") Map<String, String> metadata,
                  @JsonProperty("checksum_algorithm") ContentChecksum.Algorithm checksumAlgorithm,
                  @JsonProperty("checksum_type") ContentChecksum.Type checksumType) {}

    MultipartUploads(EngineContext ctx, ObjectEntries objects) {
        this.ctx = ctx;
        this.objects = objects;
    }

    MultipartUpload create(String repository, String branch, String path, String contentType,
                           Map<String, String> metadata, ContentChecksum.Algorithm checksumAlgorithm,
                           ContentChecksum.Type checksumType) {
        if ((checksumAlgorithm == null) != (checksumType == null)) {
            throw new InvalidArgumentException("a checksum algorithm goes with a checksum type");
        }
        Repository r = ctx.repo(repository);
        Names.path(path);
        ctx.branch(repository, branch);
        String address = addresses.next();
        String blockId = ctx.blocks.createMultipartUpload(ctx.ns(r), address);
        String id = Staging.newToken();
        Stored stored = new Stored(branch, path, address, blockId, System.currentTimeMillis(), contentType,
                metadata == null ? Map.of() : Map.copyOf(metadata), checksumAlgorithm, checksumType);
        if (!ctx.kv.compareAndSet(KeyLayout.multipartUpload(repository, id), null, write(stored))) {
            throw new IllegalStateException("multipart upload id collision");
        }
        return view(repository, id, stored);
    }

    /**
     * An upload whose parts the client PUTs itself to presigned URLs ({@code parts} of them, 0..10,000):
     * recorded like any other (the garbage collector keeps its address while it is in progress), with
     * its content type and user metadata given when it is completed.
     */
    PresignedMultipartUpload createPresigned(String repository, String branch, String path, int parts,
                                             Duration ttl) {
        if (parts < 0 || parts > Multipart.MAX_PART_NUMBER) {
            throw new InvalidArgumentException("parts can be between 0 and " + Multipart.MAX_PART_NUMBER);
        }
        Repository r = ctx.repo(repository);
        Names.path(path);
        ctx.branch(repository, branch);
        requirePresignedParts();
        MultipartUpload upload = create(repository, branch, path, null, Map.of(), null, null);
        long expiry = Instant.now().plus(ttl).getEpochSecond();
        List<String> urls = new ArrayList<>(parts);
        for (int n = 1; n <= parts; n++) {
            urls.add(ctx.blocks.presignUploadPart(ctx.ns(r), upload.physicalAddress(), upload.blockUploadId(), n, ttl)
                    .orElseThrow(() -> new IllegalStateException("the block store stopped presigning parts"))
                    .toString());
        }
        return new PresignedMultipartUpload(upload.id(), fullUri(r, upload.physicalAddress()), urls, expiry);
    }

    /**
     * Completes a presigned upload of {@code path} on {@code branch} (as created: another path, branch
     * or physical address is refused) with the content type and user metadata given now.
     */
    ObjectEntry completePresigned(String repository, String branch, String path, String uploadId,
                                  String physicalAddress, List<PartResult> parts, String contentType,
                                  Map<String, String> metadata) {
        Stored s = presigned(repository, branch, path, uploadId, physicalAddress);
        return complete(repository, uploadId, parts, null, new Stored(s.branch(), s.path(), s.address(),
                s.blockUploadId(), s.created(), contentType == null || contentType.isEmpty() ? null : contentType,
                metadata == null ? Map.of() : Map.copyOf(metadata), null, null));
    }

    /** Aborts a presigned upload of {@code path} on {@code branch} (checked as in {@link #completePresigned}). */
    void abortPresigned(String repository, String branch, String path, String uploadId, String physicalAddress) {
        presigned(repository, branch, path, uploadId, physicalAddress);
        abort(repository, uploadId);
    }

    private Stored presigned(String repository, String branch, String path, String uploadId, String physicalAddress) {
        Repository r = ctx.repo(repository);
        Names.path(path);
        ctx.branch(repository, branch);
        requirePresignedParts();
        Stored s = stored(repository, uploadId);
        if (!s.branch().equals(branch) || !s.path().equals(path)) {
            throw new InvalidArgumentException("multipart upload " + uploadId + " is of " + s.path()
                    + " on branch " + s.branch() + ", not of " + path + " on branch " + branch);
        }
        if (!fullUri(r, s.address()).equals(physicalAddress)) {
            throw new InvalidArgumentException("physical_address " + physicalAddress
                    + " is not the address of multipart upload " + uploadId);
        }
        return s;
    }

    private void requirePresignedParts() {
        if (!ctx.blocks.presignsUploadParts()) {
            throw new UnsupportedOperationException("presigned multipart uploads on the " + ctx.blocks.type()
                    + " block store");
        }
    }

    private static String fullUri(Repository r, String key) {
        String namespace = r.storageNamespace();
        return namespace.endsWith("/") ? namespace + key : namespace + "/" + key;
    }

    MultipartUpload get(String repository, String uploadId) {
        return view(repository, uploadId, stored(repository, uploadId));
    }

    PartResult uploadPart(String repository, String uploadId, int partNumber, InputStream data, long contentLength,
                          Supplier<ContentChecksum> partChecksum) {
        if (partNumber < 1 || partNumber > Multipart.MAX_PART_NUMBER) {
            throw new InvalidArgumentException("part number " + partNumber + " is outside 1.." + Multipart.MAX_PART_NUMBER);
        }
        Repository r = ctx.repo(repository);
        Stored s = stored(repository, uploadId);
        PartResult part = ctx.blocks.uploadPart(ctx.ns(r), s.address(), s.blockUploadId(), partNumber, data,
                contentLength);
        ContentChecksum checksum = partChecksum == null ? null : partChecksum.get();
        byte[] key = KeyLayout.multipartPart(repository, uploadId, partNumber);
        if (checksum == null) {
            ctx.kv.delete(key); // a part uploaded again without a checksum has none
        } else {
            ctx.kv.put(key, Bytes.utf8(checksum.algorithm().name() + ':' + checksum.value()));
        }
        return part;
    }

    Map<Integer, ContentChecksum> partChecksums(String repository, String uploadId) {
        ctx.repo(repository);
        stored(repository, uploadId);
        byte[] prefix = KeyLayout.multipartParts(repository, uploadId);
        Map<Integer, ContentChecksum> out = new TreeMap<>();
        try (KvIterator it = ctx.kv.scan(prefix, prefix)) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                String value = Bytes.string(e.value());
                int colon = value.indexOf(':');
                ContentChecksum.Algorithm a = colon < 0 ? null : ContentChecksum.Algorithm.of(value.substring(0, colon));
                if (a == null || colon == value.length() - 1) {
                    throw new IllegalStateException("corrupt part checksum record of upload " + uploadId);
                }
                out.put(Integer.parseInt(KeyLayout.after(prefix, e.key())),
                        new ContentChecksum(a, value.substring(colon + 1), ContentChecksum.Type.FULL_OBJECT));
            }
        }
        return out;
    }

    private void dropPartChecksums(String repository, String uploadId) {
        byte[] prefix = KeyLayout.multipartParts(repository, uploadId);
        List<byte[]> keys = new ArrayList<>();
        try (KvIterator it = ctx.kv.scan(prefix, prefix)) {
            while (it.hasNext()) {
                keys.add(it.next().key());
            }
        }
        keys.forEach(ctx.kv::delete);
    }

    List<PartResult> listParts(String repository, String uploadId) {
        Repository r = ctx.repo(repository);
        Stored s = stored(repository, uploadId);
        return ctx.blocks.listParts(ctx.ns(r), s.address(), s.blockUploadId());
    }

    ObjectEntry complete(String repository, String uploadId, List<PartResult> parts,
                         Function<List<PartResult>, ContentChecksum> objectChecksum) {
        return complete(repository, uploadId, parts, objectChecksum, null);
    }

    /** Completes an upload; {@code as} (if not null) is its record with the content type and metadata to use. */
    private ObjectEntry complete(String repository, String uploadId, List<PartResult> parts,
                                 Function<List<PartResult>, ContentChecksum> objectChecksum, Stored as) {
        Repository r = ctx.repo(repository);
        Stored s = as != null ? as : stored(repository, uploadId);
        StorageNamespace ns = ctx.ns(r);
        List<PartResult> resolved;
        try {
            resolved = Multipart.resolve(parts, ctx.blocks.listParts(ns, s.address(), s.blockUploadId()));
        } catch (InvalidPartException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
        ContentChecksum checksum = objectChecksum == null ? null : objectChecksum.apply(resolved);
        PutResult put = ctx.blocks.completeMultipartUpload(ns, s.address(), s.blockUploadId(), resolved);
        ObjectEntry entry = new ObjectEntry(s.path(), s.address(), put.size(), Multipart.etag(resolved),
                System.currentTimeMillis(), s.contentType(), s.metadata(), checksum);
        objects.stage(repository, s.branch(), entry);
        ctx.kv.delete(KeyLayout.multipartUpload(repository, uploadId));
        dropPartChecksums(repository, uploadId);
        return entry;
    }

    void abort(String repository, String uploadId) {
        Repository r = ctx.repo(repository);
        Stored s = stored(repository, uploadId);
        ctx.blocks.abortMultipartUpload(ctx.ns(r), s.address(), s.blockUploadId());
        ctx.kv.delete(KeyLayout.multipartUpload(repository, uploadId));
        dropPartChecksums(repository, uploadId);
    }

    Page<MultipartUpload> list(String repository, String after, int amount) {
        ctx.repo(repository);
        int n = Names.amount(amount);
        byte[] prefix = KeyLayout.multipartUploads(repository);
        byte[] from = after == null || after.isEmpty() ? prefix
                : KeyLayout.multipartUpload(repository, after + "\0");
        List<MultipartUpload> out = new ArrayList<>();
        try (KvIterator it = ctx.kv.scan(prefix, from)) {
            while (it.hasNext() && out.size() <= n) {
                KvEntry e = it.next();
                out.add(view(repository, KeyLayout.after(prefix, e.key()), read(e.value())));
            }
        }
        return EngineContext.page(out, n, MultipartUpload::id);
    }

    /** Every upload in progress of a repository, with the exact record bytes (for {@link #claim}). */
    void forEachRecord(String repository, java.util.function.BiConsumer<MultipartUpload, byte[]> sink) {
        byte[] prefix = KeyLayout.multipartUploads(repository);
        try (KvIterator it = ctx.kv.scan(prefix, prefix)) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                sink.accept(view(repository, KeyLayout.after(prefix, e.key()), read(e.value())), e.value());
            }
        }
    }

    /**
     * Removes an upload's record if it is still exactly {@code raw}, then drops its parts in the block
     * store; false when the upload was completed or aborted meanwhile (nothing is touched then).
     */
    boolean claim(String repository, MultipartUpload upload, byte[] raw) {
        Repository r = ctx.repo(repository);
        if (!io.tarn.kv.CasOutcomes.compareAndSet(ctx.kv, KeyLayout.multipartUpload(repository, upload.id()), raw, null)) {
            return false;
        }
        try {
            ctx.blocks.abortMultipartUpload(ctx.ns(r), upload.physicalAddress(), upload.blockUploadId());
        } catch (io.tarn.block.BlockNotFoundException gone) {
            // completed or aborted in the block store already
        }
        return true;
    }

    private Stored stored(String repository, String uploadId) {
        if (uploadId == null || uploadId.isEmpty() || uploadId.indexOf('/') >= 0 || uploadId.length() > 128) {
            throw new NotFoundException(NotFoundException.Kind.UPLOAD, String.valueOf(uploadId));
        }
        return ctx.kv.get(KeyLayout.multipartUpload(repository, uploadId)).map(this::read)
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.UPLOAD, uploadId));
    }

    private static MultipartUpload view(String repository, String id, Stored s) {
        return new MultipartUpload(id, repository, s.branch(), s.path(), s.address(), s.blockUploadId(), s.created(),
                s.contentType(), s.metadata(), s.checksumAlgorithm(), s.checksumType());
    }

    private byte[] write(Stored s) {
        try {
            return json.writeValueAsBytes(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Stored read(byte[] v) {
        try {
            return json.readValue(v, Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt multipart upload record", e);
        }
    }
}
