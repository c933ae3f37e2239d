package io.tarn.block.s3;

import io.tarn.block.BlockKeys;
import io.tarn.block.BlockList;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStat;
import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreConfig;
import io.tarn.block.BlockStoreException;
import io.tarn.block.ByteRange;
import io.tarn.block.DigestingInputStream;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.InvalidPartException;
import io.tarn.block.Md5;
import io.tarn.block.Multipart;
import io.tarn.block.PartResult;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.StorageNamespaces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A block store on any S3-compatible service, through the AWS SDK for Java v2 with its Apache HttpClient 5
 * client. A namespace {@code s3://bucket/prefix} stores key {@code k} as object {@code prefix/k} of
 * {@code bucket}.
 *
 * <p>Writes of known length stream in one PutObject. Writes of unknown length fill one buffer of
 * {@link #DEFAULT_PART_SIZE} bytes: if the data fits, it goes in one PutObject, otherwise the
 * buffer is reused for the parts of a multipart upload, which is aborted on any failure. Either
 * way memory per write is bounded by one buffer. The MD5 is computed while streaming, and
 * {@link PutResult#etag()} of {@link #put} is always that MD5 in hex; the object's own S3 ETag
 * (what {@link #stat} reports) is the same for single-request writes and S3's multipart form for
 * large writes of unknown length.
 *
 * <p>The SDK's default "flexible checksums" (CRC headers and trailers on every upload) are switched
 * to {@code WHEN_REQUIRED}, which S3-compatible servers such as S3Proxy and older MinIO handle.
 */
public final class S3BlockStore implements BlockStore {
    public static final String TYPE = "s3";
    /** Size of the one buffer an unknown-length write uses, and so of its multipart parts. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";
    /** Pooled HTTP connections; an open {@link #get} stream holds one until it is closed. */
    static final int MAX_CONNECTIONS = 256;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final int partSize;
    private final long maxSingleCopy;
    private final long copyPartSize;

    public S3BlockStore(BlockStoreConfig.S3 config) {
        this(config, DEFAULT_PART_SIZE);
    }

    /**
     * @param partSize size of the buffer (and multipart part) of unknown-length writes; at least
     *                 5 MiB against real S3, which refuses smaller non-final parts
     */
    public S3BlockStore(BlockStoreConfig.S3 config, int partSize) {
        this(config, partSize, MAX_SINGLE_COPY, COPY_PART_SIZE);
    }

    /** For tests: smaller thresholds exercise the multipart copy without 5 GiB objects. */
    S3BlockStore(BlockStoreConfig.S3 config, int partSize, long maxSingleCopy, long copyPartSize) {
        if (partSize < 1 || maxSingleCopy < 1 || copyPartSize < 1) {
            throw new IllegalArgumentException("part sizes must be positive");
        }
        this.partSize = partSize;
        this.maxSingleCopy = maxSingleCopy;
        this.copyPartSize = copyPartSize;
        Region region = region(config.region());
        AwsCredentialsProvider credentials = config.credentials() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.credentials().accessKeyId(), config.credentials().secretAccessKey()));
        URI endpoint = endpoint(config.endpoint());
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS))
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(config.forcePathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        S3Presigner.Builder presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.forcePathStyle()).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint);
        }
        this.s3 = builder.build();
        this.presigner = presignerBuilder.build();
    }

    /**
     * The configured region; without one, the {@code aws.region} system property, the
     * {@code AWS_REGION} variable or the AWS profile, and failing those
     * {@value BlockStoreConfig#DEFAULT_REGION}, as lakeFS does. (Not the SDK's full default chain:
     * its EC2 metadata lookup would stall start-up off EC2.)
     */
    private static Region region(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Region.of(configured.trim());
        }
        try {
            return new software.amazon.awssdk.regions.providers.AwsRegionProviderChain(
                    new software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider(),
                    new software.amazon.awssdk.regions.providers.AwsProfileRegionProvider()).getRegion();
        } catch (SdkClientException e) {
            return Region.of(BlockStoreConfig.DEFAULT_REGION);
        }
    }

    private static URI endpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(endpoint.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("blockstore.s3.endpoint must be a URL such as"
                        + " http://127.0.0.1:9000, not '" + endpoint + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blockstore.s3.endpoint must be a URL such as"
                    + " http://127.0.0.1:9000, not '" + endpoint + "'", e);
        }
    }

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

    /** Bucket and object key of a namespace-relative key, validated. */
    private record Location(String bucket, String key, String display) {}

    private static Location locate(StorageNamespace ns, String key) {
        StorageNamespaces.require(ns, TYPE);
        if (ns.bucket() == null || ns.bucket().isEmpty()) {
            throw new InvalidNamespaceException("storage namespace " + ns.uri() + " has no bucket");
        }
        if (!ns.prefix().isEmpty() && BlockKeys.problem(ns.prefix()) != null) {
            throw new InvalidNamespaceException("storage namespace " + ns.uri() + " is invalid: "
                    + BlockKeys.problem(ns.prefix()));
        }
        BlockKeys.requireValid(key);
        return new Location(ns.bucket(), BlockKeys.join(ns.prefix(), key), ns.uri() + " / " + key);
    }

    // ---- errors --------------------------------------------------------------------------------

    private static boolean isStatus(SdkException e, int status) {
        return e instanceof S3Exception s && s.statusCode() == status;
    }

    private static String code(SdkException e) {
        if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode();
        }
        return null;
    }

    /** Translates an SDK failure into this package's exceptions. */
    private static BlockStoreException translate(SdkException e, Location loc, String action) {
        String code = code(e);
        if ("NoSuchBucket".equals(code)) {
            return new InvalidNamespaceException("cannot " + action + " " + loc.display() + ": bucket '"
                    + loc.bucket() + "' does not exist");
        }
        if ("NoSuchKey".equals(code) || (code == null && isStatus(e, 404))) {
            return new BlockNotFoundException("no object " + loc.display());
        }
        if ("NoSuchUpload".equals(code)) {
            return new BlockNotFoundException("no such multipart upload for " + loc.display());
        }
        if ("InvalidPart".equals(code) || "InvalidPartOrder".equals(code) || "EntityTooSmall".equals(code)) {
            return new InvalidPartException("cannot complete multipart upload of " + loc.display() + ": "
                    + ((S3Exception) e).awsErrorDetails().errorMessage() + " (" + code + ")");
        }
        if (e instanceof S3Exception s) {
            return new BlockStoreException("S3 refused to " + action + " " + loc.display() + ": HTTP "
                    + s.statusCode() + (code == null ? "" : " " + code) + ": " + s.getMessage(), e);
        }
        return new BlockStoreException("cannot " + action + " " + loc.display() + ": " + e.getMessage(), e);
    }

    /**
     * Source of an upload body: hands the SDK our digesting stream and remembers whether the
     * caller's stream failed, so that such a failure is reported as an incomplete upload rather than
     * a storage error. The SDK may ask for the stream more than once (to retry); that works only as
     * long as nothing was read yet, since a caller's stream cannot be rewound.
     */
    private static final class UploadSource implements ContentStreamProvider {
        private final DigestingInputStream digesting;
        private volatile Throwable sourceFailure;

        UploadSource(InputStream data, long contentLength) {
            InputStream guarded = new InputStream() {
                @Override
                public int read() throws IOException {
                    try {
                        return data.read();
                    } catch (IOException | RuntimeException e) {
                        sourceFailure = e;
                        throw e;
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return data.read(b, off, len);
                    } catch (IOException | RuntimeException e) {
                        sourceFailure = e;
                        throw e;
                    }
                }
            };
            this.digesting = new DigestingInputStream(guarded, contentLength);
        }

        @Override
        public InputStream newStream() {
            if (digesting.count() > 0) {
                throw new IllegalStateException("an upload stream cannot be replayed after a failed attempt");
            }
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    return track(() -> digesting.read());
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return track(() -> digesting.read(b, off, len));
                }
                // close() deliberately does nothing: the caller owns its stream.
            };
        }

        private interface IoRead {
            int read() throws IOException;
        }

        private int track(IoRead r) throws IOException {
            try {
                return r.read();
            } catch (IncompleteUploadException e) {
                sourceFailure = e;
                throw new IOException(e.getMessage(), e);
            }
        }

        /** If the caller's data caused {@code failure}, the exception to throw instead. */
        Optional<IncompleteUploadException> incomplete(Throwable failure, String what) {
            Throwable cause = sourceFailure;
            if (cause == null) {
                return Optional.empty();
            }
            if (cause instanceof IncompleteUploadException iu) {
                return Optional.of(iu);
            }
            IncompleteUploadException e = new IncompleteUploadException("upload of " + what + " failed after "
                    + digesting.count() + " bytes: " + cause.getMessage(), cause);
            e.addSuppressed(failure);
            return Optional.of(e);
        }
    }

    /** Runs an upload request; turns failures of the caller's data into IncompleteUploadException. */
    private static <T> T upload(UploadSource src, Location loc, String action, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            Optional<IncompleteUploadException> incomplete = src.incomplete(e, loc.display());
            if (incomplete.isPresent()) {
                throw incomplete.get();
            }
            throw e instanceof SdkException sdk ? translate(sdk, loc, action) : e;
        }
    }

    private static RequestBody body(ContentStreamProvider provider, long length) {
        return RequestBody.fromContentProvider(provider, length, CONTENT_TYPE);
    }

    // ---- put -----------------------------------------------------------------------------------

    @Override
    public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
        Location loc = locate(ns, key);
        if (contentLength < -1) {
            throw new IllegalArgumentException("invalid content length " + contentLength);
        }
        if (contentLength >= 0) {
            UploadSource src = new UploadSource(data, contentLength);
            if (contentLength == 0) {
                // the SDK does not read an empty body at all: check the caller's stream is empty
                requireComplete(src.digesting, loc);
            }
            upload(src, loc, "write", () -> s3.putObject(b -> b.bucket(loc.bucket()).key(loc.key())
                    .contentLength(contentLength).contentType(CONTENT_TYPE), body(src, contentLength)));
            try {
                requireComplete(src.digesting, loc);
            } catch (IncompleteUploadException e) {
                // cannot happen unless the SDK sent fewer bytes than it declared; never keep such an object
                delete(ns, key);
                throw e;
            }
            return new PutResult(src.digesting.count(), src.digesting.md5Hex());
        }
        return putUnknownLength(loc, data);
    }

    private static void requireComplete(DigestingInputStream in, Location loc) {
        try {
            in.requireComplete();
        } catch (IOException e) {
            throw new IncompleteUploadException("upload of " + loc.display() + " failed after " + in.count()
                    + " bytes: " + e.getMessage(), e);
        }
    }

    /** Fills {@code buf} from {@code in} as far as possible; a failing source is an incomplete upload. */
    private static int fill(DigestingInputStream in, byte[] buf, Location loc) {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw new IncompleteUploadException("upload of " + loc.display() + " failed after " + in.count()
                    + " bytes: " + e.getMessage(), e);
        }
    }

    private PutResult putUnknownLength(Location loc, InputStream data) {
        DigestingInputStream in = new DigestingInputStream(data, -1);
        byte[] buf = new byte[partSize];
        int n = fill(in, buf, loc);
        if (n < buf.length) {
            int len = n;
            try {
                s3.putObject(b -> b.bucket(loc.bucket()).key(loc.key()).contentLength((long) len)
                        .contentType(CONTENT_TYPE), body(() -> new ByteArrayInputStream(buf, 0, len), len));
            } catch (SdkException e) {
                throw translate(e, loc, "write");
            }
            return new PutResult(in.count(), in.md5Hex());
        }
        String uploadId = createUpload(loc);
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            while (n > 0) {
                if (partNumber > Multipart.MAX_PART_NUMBER) {
                    throw new BlockStoreException("cannot write " + loc.display() + ": an upload of unknown"
                            + " length is limited to " + Multipart.MAX_PART_NUMBER + " parts of " + partSize
                            + " bytes");
                }
                int len = n;
                int number = partNumber;
                String etag;
                try {
                    etag = s3.uploadPart(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                                    .partNumber(number).contentLength((long) len),
                            body(() -> new ByteArrayInputStream(buf, 0, len), len)).eTag();
                } catch (SdkException e) {
                    throw translate(e, loc, "write");
                }
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                partNumber++;
                n = len < buf.length ? 0 : fill(in, buf, loc);
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (SdkException e) {
                throw translate(e, loc, "write");
            }
            done = true;
            return new PutResult(in.count(), in.md5Hex());
        } finally {
            if (!done) {
                abortQuietly(loc, uploadId);
            }
        }
    }

    private void abortQuietly(Location loc, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the upload's parts stay until a bucket lifecycle rule removes them; nothing is visible
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    @Override
    public InputStream get(StorageNamespace ns, String key, ByteRange range) {
        Location loc = locate(ns, key);
        try {
            var response = s3.getObject(b -> {
                b.bucket(loc.bucket()).key(loc.key());
                if (range != null) {
                    b.range("bytes=" + range.first() + "-" + range.last());
                }
            });
            return new AbortOnEarlyClose(response);
        } catch (SdkException e) {
            if (range != null && isStatus(e, 416)) {
                return InputStream.nullInputStream(); // the range starts at or after the end
            }
            throw translate(e, loc, "read");
        }
    }

    /**
     * Closing the SDK's response stream before its end would read the rest of the body (to reuse
     * the connection); a reader that stops early wants the connection dropped instead.
     */
    private static final class AbortOnEarlyClose extends java.io.FilterInputStream {
        private final software.amazon.awssdk.core.ResponseInputStream<?> response;
        private boolean ended;

        AbortOnEarlyClose(software.amazon.awssdk.core.ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }

    @Override
    public Optional<BlockStat> stat(StorageNamespace ns, String key) {
        Location loc = locate(ns, key);
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(loc.bucket()).key(loc.key()));
            return Optional.of(new BlockStat(h.contentLength(), Md5.stripQuotes(h.eTag()), h.lastModified()));
        } catch (SdkException e) {
            if (isStatus(e, 404)) {
                return Optional.empty();
            }
            throw translate(e, loc, "stat");
        }
    }

    @Override
    public BlockList list(StorageNamespace ns, String prefix) {
        String p = BlockKeys.requireValidPrefix(prefix);
        Location root = locate(ns, "x");
        String rootKey = ns.prefix().isEmpty() ? "" : ns.prefix() + "/";
        Location loc = new Location(root.bucket(), rootKey + p, ns.uri() + " / " + p);
        java.util.Iterator<software.amazon.awssdk.services.s3.model.S3Object> pages;
        try {
            pages = s3.listObjectsV2Paginator(b -> b.bucket(loc.bucket()).prefix(loc.key()).maxKeys(1000))
                    .contents().iterator();
        } catch (SdkException e) {
            throw translate(e, loc, "list");
        }
        return new BlockList() {
            @Override
            public boolean hasNext() {
                try {
                    return pages.hasNext();
                } catch (SdkException e) {
                    throw translate(e, loc, "list");
                }
            }

            @Override
            public BlockListing next() {
                software.amazon.awssdk.services.s3.model.S3Object o;
                try {
                    o = pages.next();
                } catch (SdkException e) {
                    throw translate(e, loc, "list");
                }
                return new BlockListing(o.key().substring(rootKey.length()), o.size(), Md5.stripQuotes(o.eTag()),
                        o.lastModified());
            }

            @Override
            public void close() {
                // the paginator holds no connection between pages
            }
        };
    }

    @Override
    public void delete(StorageNamespace ns, String key) {
        Location loc = locate(ns, key);
        try {
            s3.deleteObject(b -> b.bucket(loc.bucket()).key(loc.key()));
        } catch (SdkException e) {
            if (isStatus(e, 404) && !"NoSuchBucket".equals(code(e))) {
                return;
            }
            throw translate(e, loc, "delete");
        }
    }

    /** Objects up to this size are copied with one CopyObject; S3 refuses larger ones. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    /** Part size of multipart copies of larger objects. */
    static final long COPY_PART_SIZE = 512L * 1024 * 1024;

    @Override
    public PutResult copy(StorageNamespace srcNs, String srcKey, StorageNamespace dstNs, String dstKey) {
        Location src = locate(srcNs, srcKey);
        Location dst = locate(dstNs, dstKey);
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(src.bucket()).key(src.key()));
        } catch (SdkException e) {
            if (isStatus(e, 404)) {
                throw new BlockNotFoundException("no object " + src.display());
            }
            throw translate(e, src, "copy");
        }
        long size = head.contentLength();
        if (size > maxSingleCopy) {
            return multipartCopy(src, dst, size);
        }
        try {
            CopyObjectResponse r = s3.copyObject(b -> b.sourceBucket(src.bucket()).sourceKey(src.key())
                    .destinationBucket(dst.bucket()).destinationKey(dst.key()));
            return new PutResult(size, Md5.stripQuotes(r.copyObjectResult().eTag()));
        } catch (SdkException e) {
            if ("NoSuchKey".equals(code(e))) {
                throw new BlockNotFoundException("no object " + src.display());
            }
            throw translate(e, dst, "copy to");
        }
    }

    private PutResult multipartCopy(Location src, Location dst, long size) {
        String uploadId = createUpload(dst);
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long first = 0; first < size; first += copyPartSize, number++) {
                long last = Math.min(size, first + copyPartSize) - 1;
                int n = number;
                String range = "bytes=" + first + "-" + last;
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(src.bucket()).sourceKey(src.key())
                        .destinationBucket(dst.bucket()).destinationKey(dst.key()).uploadId(uploadId)
                        .partNumber(n).copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            String etag = s3.completeMultipartUpload(b -> b.bucket(dst.bucket()).key(dst.key())
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts))).eTag();
            done = true;
            return new PutResult(size, Md5.stripQuotes(etag));
        } catch (SdkException e) {
            throw translate(e, dst, "copy to");
        } finally {
            if (!done) {
                abortQuietly(dst, uploadId);
            }
        }
    }

    // ---- multipart -----------------------------------------------------------------------------

    private String createUpload(Location loc) {
        try {
            return s3.createMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).contentType(CONTENT_TYPE))
                    .uploadId();
        } catch (SdkException e) {
            throw translate(e, loc, "start a multipart upload of");
        }
    }

    @Override
    public String createMultipartUpload(StorageNamespace ns, String key) {
        return createUpload(locate(ns, key));
    }

    private static void requireUploadId(String uploadId, Location loc) {
        if (uploadId == null || uploadId.isBlank()) {
            throw new BlockNotFoundException("no multipart upload " + uploadId + " for " + loc.display());
        }
    }

    @Override
    public PartResult uploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                 InputStream data, long contentLength) {
        Location loc = locate(ns, key);
        requireUploadId(uploadId, loc);
        Multipart.requireValidPartNumber(partNumber);
        requireUploadExists(loc, uploadId);
        if (contentLength < 0) {
            return uploadPartOfUnknownLength(loc, uploadId, partNumber, data);
        }
        UploadSource src = new UploadSource(data, contentLength);
        String etag = upload(src, loc, "upload a part of", () -> s3.uploadPart(b -> b.bucket(loc.bucket())
                .key(loc.key()).uploadId(uploadId).partNumber(partNumber).contentLength(contentLength),
                body(src, contentLength)).eTag());
        return new PartResult(partNumber, src.digesting.count(), Md5.stripQuotes(etag));
    }

    /** A part needs a length up front: spool it to a temporary file first (constant memory). */
    private PartResult uploadPartOfUnknownLength(Location loc, String uploadId, int partNumber, InputStream data) {
        java.nio.file.Path tmp = null;
        try {
            tmp = java.nio.file.Files.createTempFile("tarn-part-", ".tmp");
            DigestingInputStream in = new DigestingInputStream(data, -1);
            try (var out = java.nio.file.Files.newOutputStream(tmp)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new IncompleteUploadException("upload of a part of " + loc.display() + " failed after "
                        + in.count() + " bytes: " + e.getMessage(), e);
            }
            java.nio.file.Path file = tmp;
            String etag = s3.uploadPart(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                    .partNumber(partNumber).contentLength(in.count()), RequestBody.fromFile(file)).eTag();
            return new PartResult(partNumber, in.count(), Md5.stripQuotes(etag));
        } catch (IOException e) {
            throw new BlockStoreException("cannot spool a part of " + loc.display() + ": " + e, e);
        } catch (SdkException e) {
            throw translate(e, loc, "upload a part of");
        } finally {
            if (tmp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp folder is cleaned eventually
                }
            }
        }
    }

    @Override
    public List<PartResult> listParts(StorageNamespace ns, String key, String uploadId) {
        Location loc = locate(ns, key);
        requireUploadId(uploadId, loc);
        return listParts(loc, uploadId);
    }

    private List<PartResult> listParts(Location loc, String uploadId) {
        List<PartResult> out = new ArrayList<>();
        try {
            Integer marker = null;
            while (true) {
                Integer from = marker;
                ListPartsResponse r = s3.listParts(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                        .partNumberMarker(from));
                for (Part p : r.parts()) {
                    out.add(new PartResult(p.partNumber(), p.size(), Md5.stripQuotes(p.eTag())));
                }
                if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextPartNumberMarker() == null) {
                    break;
                }
                marker = r.nextPartNumberMarker();
            }
        } catch (SdkException e) {
            throw translate(e, loc, "list parts of");
        }
        if (out.isEmpty() && !uploadExists(loc, uploadId)) {
            // S3 answers NoSuchUpload itself; some S3-compatible servers list no parts instead
            throw new BlockNotFoundException("no multipart upload " + uploadId + " for " + loc.display());
        }
        out.sort(java.util.Comparator.comparingInt(PartResult::partNumber));
        return out;
    }

    /**
     * S3 refuses parts of unknown uploads with NoSuchUpload, but some S3-compatible servers (S3Proxy)
     * accept them silently; one cheap ListParts call (and, where that lists nothing, a look at the
     * pending uploads of the key) keeps the behaviour the same everywhere.
     */
    private void requireUploadExists(Location loc, String uploadId) {
        boolean hasParts;
        try {
            hasParts = !s3.listParts(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId).maxParts(1))
                    .parts().isEmpty();
        } catch (SdkException e) {
            throw translate(e, loc, "upload a part of");
        }
        if (!hasParts && !uploadExists(loc, uploadId)) {
            throw new BlockNotFoundException("no multipart upload " + uploadId + " for " + loc.display());
        }
    }

    private boolean uploadExists(Location loc, String uploadId) {
        try {
            String keyMarker = null;
            String idMarker = null;
            while (true) {
                String km = keyMarker;
                String im = idMarker;
                var r = s3.listMultipartUploads(b -> b.bucket(loc.bucket()).prefix(loc.key())
                        .keyMarker(km).uploadIdMarker(im));
                if (r.uploads().stream().anyMatch(u -> u.key().equals(loc.key()) && u.uploadId().equals(uploadId))) {
                    return true;
                }
                if (!Boolean.TRUE.equals(r.isTruncated())) {
                    return false;
                }
                keyMarker = r.nextKeyMarker();
                idMarker = r.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw translate(e, loc, "list multipart uploads of");
        }
    }

    @Override
    public PutResult completeMultipartUpload(StorageNamespace ns, String key, String uploadId,
                                             List<PartResult> parts) {
        Location loc = locate(ns, key);
        requireUploadId(uploadId, loc);
        List<PartResult> chosen = Multipart.resolve(parts, listParts(loc, uploadId));
        List<CompletedPart> completed = chosen.stream()
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build())
                .toList();
        try {
            String etag = s3.completeMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed))).eTag();
            return new PutResult(chosen.stream().mapToLong(PartResult::size).sum(), Md5.stripQuotes(etag));
        } catch (SdkException e) {
            throw translate(e, loc, "complete a multipart upload of");
        }
    }

    @Override
    public void abortMultipartUpload(StorageNamespace ns, String key, String uploadId) {
        Location loc = locate(ns, key);
        requireUploadId(uploadId, loc);
        try {
            s3.abortMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId));
        } catch (SdkException e) {
            throw translate(e, loc, "abort a multipart upload of");
        }
    }

    // ---- presign -------------------------------------------------------------------------------

    /** Longest validity S3 accepts for a SigV4 presigned URL. */
    public static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

    private static void requireTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException("presigned URL lifetime must be between 1 second and 7 days, not "
                    + ttl);
        }
    }

    @Override
    public Optional<URI> presignGet(StorageNamespace ns, String key, Duration ttl) {
        Location loc = locate(ns, key);
        requireTtl(ttl);
        try {
            return Optional.of(presigner.presignGetObject(r -> r.signatureDuration(ttl)
                    .getObjectRequest(g -> g.bucket(loc.bucket()).key(loc.key()))).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new BlockStoreException("cannot presign " + loc.display() + ": " + e, e);
        }
    }

    @Override
    public Optional<URI> presignPut(StorageNamespace ns, String key, Duration ttl) {
        Location loc = locate(ns, key);
        requireTtl(ttl);
        try {
            return Optional.of(presigner.presignPutObject(r -> r.signatureDuration(ttl)
                    .putObjectRequest(p -> p.bucket(loc.bucket()).key(loc.key()))).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new BlockStoreException("cannot presign " + loc.display() + ": " + e, e);
        }
    }

    @Override
    public boolean presignsUploadParts() {
        return true;
    }

    @Override
    public Optional<URI> presignUploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                           Duration ttl) {
        Location loc = locate(ns, key);
        requireUploadId(uploadId, loc);
        Multipart.requireValidPartNumber(partNumber);
        requireTtl(ttl);
        try {
            return Optional.of(presigner.presignUploadPart(r -> r.signatureDuration(ttl)
                    .uploadPartRequest(u -> u.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                            .partNumber(partNumber))).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new BlockStoreException("cannot presign a part of " + loc.display() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            presigner.close();
        } finally {
            s3.close();
        }
    }
}
