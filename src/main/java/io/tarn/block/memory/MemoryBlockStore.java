package io.tarn.block.memory;

import io.tarn.block.BlockKeys;
import io.tarn.block.BlockList;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockStat;
import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreException;
import io.tarn.block.ByteRange;
import io.tarn.block.DigestingInputStream;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.Multipart;
import io.tarn.block.PartResult;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.StorageNamespaces;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A block store in the heap, for tests and throw-away servers. Namespaces are {@code mem://name}
 * (optionally {@code mem://name/prefix}). Objects are kept as lists of fixed-size chunks, so no
 * single huge array is ever allocated, but of course the whole object does live in memory.
 * Presigned URLs are not available.
 */
public final class MemoryBlockStore implements BlockStore {
    public static final String TYPE = "mem";
    static final int CHUNK_SIZE = 64 * 1024;

    /** Sorted by the UTF-8 bytes of {@code <bucket>/<key>}, so listings come out in S3's order. */
    private final ConcurrentSkipListMap<String, StoredObject> objects =
            new ConcurrentSkipListMap<>(BlockKeys::compareUtf8);
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Clock clock;

    public MemoryBlockStore() {
        this(Clock.systemUTC());
    }

    public MemoryBlockStore(Clock clock) {
        this.clock = clock;
    }

    private record StoredObject(Chunks data, String etag, Instant lastModified) {}

    private record Chunks(List<byte[]> chunks, long size) {}

    private record Part(Chunks data, String md5Hex) {}

    private record Upload(String objectKey, ConcurrentSkipListMap<Integer, Part> parts) {}

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public StorageNamespace namespace(String uri) {
        return StorageNamespaces.parse(uri, TYPE);
    }

    @Override
    public StorageNamespace realNamespace(StorageNamespace ns) {
        return StorageNamespaces.require(ns, TYPE);
    }

    private static String objectKey(StorageNamespace ns, String key) {
        StorageNamespaces.require(ns, TYPE);
        BlockKeys.requireValid(key);
        return ns.bucket() + "/" + BlockKeys.join(ns.prefix(), key);
    }

    /** Reads the stream into chunks, enforcing the declared length; nothing is stored here. */
    private static ReadResult readAll(InputStream data, long contentLength) {
        DigestingInputStream in = new DigestingInputStream(data, contentLength);
        List<byte[]> chunks = new ArrayList<>();
        try {
            while (true) {
                byte[] buf = in.readNBytes(CHUNK_SIZE);
                if (buf.length == 0) {
                    break;
                }
                chunks.add(buf);
                if (buf.length < CHUNK_SIZE) {
                    break;
                }
            }
            in.requireComplete();
        } catch (IOException e) {
            throw new IncompleteUploadException("upload failed after " + in.count() + " bytes: "
                    + e.getMessage(), e);
        }
        return new ReadResult(new Chunks(List.copyOf(chunks), in.count()), in.md5Hex());
    }

    private record ReadResult(Chunks data, String md5Hex) {}

    @Override
    public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
        String k = objectKey(ns, key);
        ReadResult r = readAll(data, contentLength);
        objects.put(k, new StoredObject(r.data(), r.md5Hex(), clock.instant()));
        return new PutResult(r.data().size(), r.md5Hex());
    }

    @Override
    public InputStream get(StorageNamespace ns, String key, ByteRange range) {
        String k = objectKey(ns, key);
        StoredObject o = objects.get(k);
        if (o == null) {
            throw new BlockNotFoundException("no object " + ns.uri() + " / " + key);
        }
        long size = o.data().size();
        long first = range == null ? 0 : Math.min(range.first(), size);
        long last = range == null ? size - 1 : Math.min(range.last(), size - 1);
        return new ChunksInputStream(o.data().chunks(), first, Math.max(0, last - first + 1));
    }

    @Override
    public Optional<BlockStat> stat(StorageNamespace ns, String key) {
        StoredObject o = objects.get(objectKey(ns, key));
        return o == null ? Optional.empty()
                : Optional.of(new BlockStat(o.data().size(), o.etag(), o.lastModified()));
    }

    @Override
    public BlockList list(StorageNamespace ns, String prefix) {
        StorageNamespaces.require(ns, TYPE);
        String p = BlockKeys.requireValidPrefix(prefix);
        String root = ns.bucket() + "/" + (ns.prefix().isEmpty() ? "" : ns.prefix() + "/");
        String from = root + p;
        java.util.Iterator<Map.Entry<String, StoredObject>> it = objects.tailMap(from, true).entrySet().iterator();
        return new BlockList() {
            private Map.Entry<String, StoredObject> next = advance();

            private Map.Entry<String, StoredObject> advance() {
                if (!it.hasNext()) {
                    return null;
                }
                Map.Entry<String, StoredObject> e = it.next();
                return e.getKey().startsWith(from) ? e : null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public BlockListing next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Map.Entry<String, StoredObject> e = next;
                next = advance();
                return new BlockListing(e.getKey().substring(root.length()), e.getValue().data().size(),
                        e.getValue().etag(), e.getValue().lastModified());
            }

            @Override
            public void close() {
                next = null;
            }
        };
    }

    @Override
    public void delete(StorageNamespace ns, String key) {
        objects.remove(objectKey(ns, key));
    }

    @Override
    public PutResult copy(StorageNamespace srcNs, String srcKey, StorageNamespace dstNs, String dstKey) {
        String from = objectKey(srcNs, srcKey);
        String to = objectKey(dstNs, dstKey);
        StoredObject o = objects.get(from);
        if (o == null) {
            throw new BlockNotFoundException("no object " + srcNs.uri() + " / " + srcKey);
        }
        objects.put(to, new StoredObject(o.data(), o.etag(), clock.instant()));
        return new PutResult(o.data().size(), o.etag());
    }

    @Override
    public String createMultipartUpload(StorageNamespace ns, String key) {
        String k = objectKey(ns, key);
        String id = UUID.randomUUID().toString();
        uploads.put(id, new Upload(k, new ConcurrentSkipListMap<>()));
        return id;
    }

    private Upload upload(StorageNamespace ns, String key, String uploadId) {
        String k = objectKey(ns, key);
        Upload u = uploadId == null ? null : uploads.get(uploadId);
        if (u == null || !u.objectKey().equals(k)) {
            throw new BlockNotFoundException("no multipart upload " + uploadId + " for "
                    + ns.uri() + " / " + key);
        }
        return u;
    }

    @Override
    public PartResult uploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                 InputStream data, long contentLength) {
        Upload u = upload(ns, key, uploadId);
        Multipart.requireValidPartNumber(partNumber);
        ReadResult r = readAll(data, contentLength);
        u.parts().put(partNumber, new Part(r.data(), r.md5Hex()));
        return new PartResult(partNumber, r.data().size(), r.md5Hex());
    }

    @Override
    public PutResult completeMultipartUpload(StorageNamespace ns, String key, String uploadId,
                                             List<PartResult> parts) {
        Upload u = upload(ns, key, uploadId);
        List<PartResult> chosen = Multipart.resolve(parts, partResults(u));
        List<byte[]> chunks = new ArrayList<>();
        long size = 0;
        for (PartResult p : chosen) {
            Part part = u.parts().get(p.partNumber());
            chunks.addAll(part.data().chunks());
            size += part.data().size();
        }
        String etag = Multipart.etag(chosen);
        if (uploads.remove(uploadId) == null) {
            throw new BlockStoreException("multipart upload " + uploadId + " was completed or aborted"
                    + " concurrently");
        }
        objects.put(u.objectKey(), new StoredObject(new Chunks(List.copyOf(chunks), size), etag,
                clock.instant()));
        return new PutResult(size, etag);
    }

    @Override
    public void abortMultipartUpload(StorageNamespace ns, String key, String uploadId) {
        upload(ns, key, uploadId);
        uploads.remove(uploadId);
    }

    @Override
    public List<PartResult> listParts(StorageNamespace ns, String key, String uploadId) {
        return partResults(upload(ns, key, uploadId));
    }

    private static List<PartResult> partResults(Upload u) {
        List<PartResult> out = new ArrayList<>();
        u.parts().forEach((n, p) -> out.add(new PartResult(n, p.data().size(), p.md5Hex())));
        return out;
    }

    @Override
    public Optional<URI> presignGet(StorageNamespace ns, String key, Duration ttl) {
        objectKey(ns, key);
        return Optional.empty();
    }

    @Override
    public Optional<URI> presignPut(StorageNamespace ns, String key, Duration ttl) {
        objectKey(ns, key);
        return Optional.empty();
    }

    @Override
    public boolean presignsUploadParts() {
        return false;
    }

    @Override
    public Optional<URI> presignUploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                           Duration ttl) {
        objectKey(ns, key);
        return Optional.empty();
    }

    @Override
    public void close() {
        objects.clear();
        uploads.clear();
    }

    /** Reads {@code length} bytes starting at {@code offset} out of a list of chunks. */
    private static final class ChunksInputStream extends InputStream {
        private final List<byte[]> chunks;
        private int chunk;
        private int pos;
        private long remaining;

        ChunksInputStream(List<byte[]> chunks, long offset, long length) {
            this.chunks = chunks;
            this.remaining = length;
            long skip = offset;
            while (chunk < chunks.size() && skip >= chunks.get(chunk).length) {
                skip -= chunks.get(chunk).length;
                chunk++;
            }
            pos = (int) skip;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (remaining > 0 && chunk < chunks.size() && pos >= chunks.get(chunk).length) {
                chunk++;
                pos = 0;
            }
            if (remaining <= 0 || chunk >= chunks.size()) {
                return -1;
            }
            byte[] c = chunks.get(chunk);
            int n = (int) Math.min(Math.min(len, c.length - pos), remaining);
            System.arraycopy(c, pos, b, off, n);
            pos += n;
            remaining -= n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, remaining);
        }
    }
}
