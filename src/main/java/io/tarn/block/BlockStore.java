package io.tarn.block;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the bytes of objects (and the engine's range files) live.
 *
 * <p>Every object is addressed by a {@link StorageNamespace} (a repository's root in the store) and
 * a key relative to it. Keys are '/'-separated relative paths; implementations reject keys that are
 * empty, absolute, or contain {@code .}/{@code ..} segments or NUL bytes with
 * {@link InvalidKeyException}.
 *
 * <p>All transfers stream: no implementation holds a whole object in memory.
 */
public interface BlockStore extends AutoCloseable {

    /** The configured type: {@code local}, {@code s3} or {@code mem}. */
    String type();

    /**
     * Parses and validates a storage namespace URI ({@code local://path}, {@code s3://bucket/prefix},
     * {@code mem://name}) for this store.
     *
     * @throws InvalidNamespaceException if the scheme does not match this store's type, or the
     *                                   namespace could escape its root
     */
    StorageNamespace namespace(String uri);

    /**
     * The place {@code ns} really is, to compare namespaces with each other: two spellings of one
     * place give equal prefixes. On the local store the symbolic links on the way are resolved (a
     * link inside the root to a namespace's folder is that namespace); on stores without links it is
     * {@code ns} itself. The answer is of the moment: a link made later can change it.
     *
     * @throws InvalidNamespaceException if the namespace leads outside the store or through a broken link
     */
    StorageNamespace realNamespace(StorageNamespace ns);

    /**
     * Writes a new object from a stream of known ({@code contentLength >= 0}) or unknown
     * ({@code -1}) length, computing its MD5 and size on the way. If the stream fails or is shorter
     * than {@code contentLength}, nothing is left visible under {@code key} and the error is thrown.
     */
    PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength);

    /**
     * A batch of writes made durable together ({@link BlockBatch}). The default puts each object with
     * {@link #put}, durable when it returns; a store that syncs folder entries (the local one) leaves
     * them to the batch's {@link BlockBatch#sync()}, one per folder.
     */
    default BlockBatch batch() {
        return BlockBatch.immediate(this);
    }

    /**
     * Opens an object, whole ({@code range == null}) or a byte range of it.
     *
     * @throws BlockNotFoundException if there is no such object
     */
    InputStream get(StorageNamespace ns, String key, ByteRange range);

    /** Size, ETag and modification time of an object, or empty if it does not exist. */
    Optional<BlockStat> stat(StorageNamespace ns, String key);

    /**
     * Streams the objects of a namespace whose keys start with {@code prefix} (empty: all of them), in
     * ascending order of their keys' UTF-8 bytes, one page at a time (never the whole listing in memory).
     * Multipart uploads in progress and writes not yet finished are not listed. An object written or
     * deleted while the listing runs may or may not show.
     */
    BlockList list(StorageNamespace ns, String prefix);

    /** Removes an object; removing an absent object is not an error. */
    void delete(StorageNamespace ns, String key);

    /** Copies an object inside the store (server-side where the backend can). */
    PutResult copy(StorageNamespace srcNs, String srcKey, StorageNamespace dstNs, String dstKey);

    /** Starts a multipart upload and returns its id. */
    String createMultipartUpload(StorageNamespace ns, String key);

    /** Uploads one part (numbered from 1) of a multipart upload. */
    PartResult uploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                          InputStream data, long contentLength);

    /** Assembles the listed parts, in order, into the object. */
    PutResult completeMultipartUpload(StorageNamespace ns, String key, String uploadId,
                                      List<PartResult> parts);

    /** Drops a multipart upload and its parts. */
    void abortMultipartUpload(StorageNamespace ns, String key, String uploadId);

    /** The parts uploaded so far, ordered by part number. */
    List<PartResult> listParts(StorageNamespace ns, String key, String uploadId);

    /** A URL that lets its holder GET the object until it expires, where the backend can make one. */
    Optional<URI> presignGet(StorageNamespace ns, String key, Duration ttl);

    /** A URL that lets its holder PUT the object until it expires, where the backend can make one. */
    Optional<URI> presignPut(StorageNamespace ns, String key, Duration ttl);

    /** Whether {@link #presignUploadPart} makes URLs here (clients can then upload parts straight to the store). */
    boolean presignsUploadParts();

    /**
     * A URL that lets its holder PUT part {@code partNumber} (1..10,000) of a multipart upload until it
     * expires, where the backend can make one.
     */
    Optional<URI> presignUploadPart(StorageNamespace ns, String key, String uploadId, int partNumber, Duration ttl);

    @Override
    void close();
}
