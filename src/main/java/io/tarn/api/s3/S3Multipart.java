package io.tarn.api.s3;

import io.tarn.api.s3.sig.CheckedPayload;
import io.tarn.api.s3.sig.Checksums;
import io.tarn.block.ByteRange;
import io.tarn.block.PartResult;
import io.tarn.engine.Engine;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multipart uploads on the engine's multipart support (the block store's own): Create, UploadPart,
 * UploadPartCopy (with a source range), Complete (ETag {@code "<md5 of md5s>-N"}), Abort, ListParts
 * and ListMultipartUploads. An upload belongs to one key: another key naming its id is NoSuchUpload.
 */
final class S3Multipart {
    private static final int MAX_COMPLETE_BODY = 4 * 1024 * 1024;
    private static final Pattern COPY_RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    private final Engine engine;
    private final S3Objects objects;

    S3Multipart(Engine engine, S3Objects objects) {
        this.engine = engine;
        this.objects = objects;
    }

    void create(S3Gateway.Call call) {
        S3Request r = call.request;
        String path = S3Objects.requirePath(r);
        String branch = objects.requireBranch(r.bucket, r.ref());
        S3Checksums.Requested checksum = S3Checksums.requested(r);
        MultipartUpload upload = engine.createMultipartUpload(r.bucket, branch, path, r.header("content-type"),
                r.userMetadata(), checksum.algorithm(), checksum.type());
        if (upload.checksumAlgorithm() != null) {
            r.exchange.response().header("x-amz-checksum-algorithm", upload.checksumAlgorithm().name())
                    .header("x-amz-checksum-type", upload.checksumType().name());
        }
        Xml.document("InitiateMultipartUploadResult").element("Bucket", r.bucket).element("Key", r.key)
                .element("UploadId", upload.id()).send(r.exchange, "InitiateMultipartUploadResult");
    }

    /** The upload named by {@code uploadId}, which must be this request's key. */
    private MultipartUpload upload(S3Request r) {
        String path = S3Objects.requirePath(r);
        MultipartUpload upload = engine.getMultipartUpload(r.bucket, r.param("uploadId"));
        if (!upload.branch().equals(r.ref()) || !upload.path().equals(path)) {
            throw new NotFoundException(NotFoundException.Kind.UPLOAD, r.param("uploadId"));
        }
        return upload;
    }

    private static int partNumber(S3Request r) {
        try {
            int n = Integer.parseInt(r.param("partNumber").trim());
            if (n < 1 || n > 10_000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new S3Error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
        }
    }

    void uploadPart(S3Gateway.Call call) {
        S3Request r = call.request;
        MultipartUpload upload = upload(r);
        int number = partNumber(r);
        S3Checksums.checkPart(upload, S3Checksums.announced(r), number);
        CheckedPayload payload = call.payload();
        PartResult part;
        try {
            part = engine.uploadPart(r.bucket, upload.id(), number, payload, call.objectLength(),
                    () -> S3Checksums.of(payload));
        } catch (RuntimeException e) {
            if (payload.failure() != null) {
                throw payload.failure();
            }
            throw e;
        }
        if (payload.failure() != null) {
            throw payload.failure();
        }
        r.exchange.response().header("ETag", quoted(part.etag()));
        ContentChecksum checksum = S3Checksums.of(payload);
        if (checksum != null) {
            r.exchange.response().header(checksum.algorithm().header(), checksum.value());
        }
        r.exchange.response().empty(200);
    }

    void uploadPartCopy(S3Gateway.Call call) {
        S3Request r = call.request;
        MultipartUpload upload = upload(r);
        int number = partNumber(r);
        String[] source = S3Objects.copySource(r.header("x-amz-copy-source"));
        Repository sourceRepo = S3Objects.sourceRepository(engine, source[0]);
        ObjectEntry from = engine.statObject(sourceRepo, source[1], source[2]);
        ByteRange range = null;
        String rangeHeader = r.header("x-amz-copy-source-range");
        if (rangeHeader != null) {
            Matcher m = COPY_RANGE.matcher(rangeHeader.trim());
            if (!m.matches()) {
                throw new S3Error(400, "InvalidArgument", "The x-amz-copy-source-range value must be of the form"
                        + " bytes=first-last where first and last are the zero-based offsets of the first and last"
                        + " bytes to copy");
            }
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (first > last || last >= from.size()) {
                throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable");
            }
            range = new ByteRange(first, last);
        }
        long length = range == null ? from.size() : range.length();
        PartResult part;
        // an upload with a checksum algorithm gets the copied part's checksum, computed as it streams
        ContentChecksum.Algorithm algorithm = upload.checksumAlgorithm();
        Checksums.Running running = algorithm == null ? null : Checksums.of(algorithm);
        ContentChecksum[] checksum = new ContentChecksum[1];
        try (InputStream in = checksumming(engine.readObject(sourceRepo, from, range), running)) {
            part = engine.uploadPart(r.bucket, upload.id(), number, in, length, () -> {
                if (running != null) {
                    checksum[0] = new ContentChecksum(algorithm,
                            java.util.Base64.getEncoder().encodeToString(running.value()), ContentChecksum.Type.FULL_OBJECT);
                }
                return checksum[0];
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Xml xml = Xml.document("CopyPartResult").timeElement("LastModified", System.currentTimeMillis())
                .element("ETag", quoted(part.etag()));
        if (checksum[0] != null) {
            xml.element(checksum[0].algorithm().element(), checksum[0].value());
        }
        xml.send(r.exchange, "CopyPartResult");
    }

    void complete(S3Gateway.Call call) throws Exception {
        S3Request r = call.request;
        MultipartUpload upload = upload(r);
        Xml.Node root = Xml.parse(call.payloadWithoutChecksumHeaders(), MAX_COMPLETE_BODY);
        if (!root.name().equals("CompleteMultipartUpload")) {
            throw new S3Error(400, "MalformedXML", "the body must be a <CompleteMultipartUpload> document");
        }
        List<PartResult> parts = new ArrayList<>();
        Map<Integer, String> sentChecksums = new HashMap<>();
        ContentChecksum.Algorithm algorithm = upload.checksumAlgorithm();
        int previous = 0;
        for (Xml.Node p : root.all("Part")) {
            int number;
            try {
                number = Integer.parseInt(p.childText("PartNumber").trim());
            } catch (RuntimeException e) {
                throw new S3Error(400, "MalformedXML", "every Part needs a PartNumber");
            }
            if (number <= previous) {
                throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts"
                        + " list must be specified in order by part number.");
            }
            previous = number;
            String etag = p.childText("ETag");
            parts.add(new PartResult(number, -1, etag == null ? null : etag.trim()));
            if (algorithm != null && p.childText(algorithm.element()) != null) {
                sentChecksums.put(number, p.childText(algorithm.element()));
            }
        }
        if (parts.isEmpty()) {
            throw new S3Error(400, "MalformedXML", "You must specify at least one part");
        }
        String sentWhole = algorithm == null ? null : r.header(algorithm.header());
        ObjectEntry entry;
        try {
            entry = engine.completeMultipartUpload(r.bucket, upload.id(), parts, resolved -> S3Checksums.ofUpload(
                    upload, engine.partChecksums(r.bucket, upload.id()), resolved, sentChecksums, sentWhole));
        } catch (InvalidArgumentException e) {
            throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found or its"
                    + " entity tag did not match: " + e.getMessage());
        }
        String scheme = "http";
        String host = r.header("host");
        Xml xml = Xml.document("CompleteMultipartUploadResult")
                .element("Location", scheme + "://" + (host == null ? "localhost" : host) + "/" + r.bucket + "/" + r.key)
                .element("Bucket", r.bucket).element("Key", r.key).element("ETag", quoted(entry.checksum()));
        ContentChecksum checksum = entry.contentChecksum();
        if (checksum != null) {
            xml.element(checksum.algorithm().element(), checksum.value()).element("ChecksumType", checksum.type().name());
            S3Checksums.answer(r.exchange.response(), checksum);
        }
        xml.send(r.exchange, "CompleteMultipartUploadResult");
    }

    void abort(S3Gateway.Call call) {
        S3Request r = call.request;
        MultipartUpload upload = upload(r);
        engine.abortMultipartUpload(r.bucket, upload.id());
        r.exchange.response().empty(204);
    }

    void listParts(S3Gateway.Call call) {
        S3Request r = call.request;
        MultipartUpload upload = upload(r);
        int max = intParam(r.param("max-parts"), 1000, "max-parts");
        int marker = intParam(r.param("part-number-marker"), 0, "part-number-marker");
        List<PartResult> all = engine.listParts(r.bucket, upload.id());
        List<PartResult> page = new ArrayList<>();
        boolean truncated = false;
        for (PartResult p : all) {
            if (p.partNumber() <= marker) {
                continue;
            }
            if (page.size() == max) {
                truncated = true;
                break;
            }
            page.add(p);
        }
        Xml xml = Xml.document("ListPartsResult").element("Bucket", r.bucket).element("Key", r.key)
                .element("UploadId", upload.id()).element("PartNumberMarker", marker);
        if (!page.isEmpty()) {
            xml.element("NextPartNumberMarker", page.get(page.size() - 1).partNumber());
        }
        xml.element("MaxParts", max).element("IsTruncated", truncated);
        String user = call.signed.principal().userId();
        xml.open("Initiator").element("ID", user).element("DisplayName", user).close("Initiator");
        xml.open("Owner").element("ID", user).element("DisplayName", user).close("Owner");
        xml.element("StorageClass", "STANDARD");
        if (upload.checksumAlgorithm() != null) {
            xml.element("ChecksumAlgorithm", upload.checksumAlgorithm().name())
                    .element("ChecksumType", upload.checksumType().name());
        }
        Map<Integer, ContentChecksum> checksums = page.isEmpty() ? Map.of() : engine.partChecksums(r.bucket, upload.id());
        for (PartResult p : page) {
            xml.open("Part").element("PartNumber", p.partNumber()).timeElement("LastModified", upload.created())
                    .element("ETag", quoted(p.etag())).element("Size", p.size());
            ContentChecksum c = checksums.get(p.partNumber());
            if (c != null) {
                xml.element(c.algorithm().element(), c.value());
            }
            xml.close("Part");
        }
        xml.send(r.exchange, "ListPartsResult");
    }

    /**
     * The uploads in progress in S3's order (by key, then upload id), from {@code key-marker} /
     * {@code upload-id-marker} on: the engine's uploads are walked page by page and only the
     * {@code max-uploads} first after the markers are kept (never more than 1,000 held). With a
     * {@code delimiter}, the uploads whose key has it after the prefix are rolled up into one common
     * prefix each (the key up to and including the first delimiter after the prefix), which counts as
     * one entry of the page and sorts among the keys; a key-marker equal to or past a common prefix
     * skips it (the next page after a truncated one that ended on a common prefix starts behind it).
     */
    void listUploads(S3Gateway.Call call) {
        S3Request r = call.request;
        engine.getRepository(r.bucket);
        int max = intParam(r.param("max-uploads"), 1000, "max-uploads");
        String prefix = r.param("prefix") == null ? "" : r.param("prefix");
        String delimiter = r.param("delimiter") == null ? "" : r.param("delimiter");
        String keyMarker = r.param("key-marker") == null ? "" : r.param("key-marker");
        // an upload-id-marker counts only with a key-marker (as in S3)
        String idMarker = keyMarker.isEmpty() || r.param("upload-id-marker") == null ? "" : r.param("upload-id-marker");
        boolean url = S3Buckets.urlEncoding(r);
        TreeSet<Listed> first = new TreeSet<>(Listed.ORDER);
        String after = null;
        while (true) {
            Page<MultipartUpload> page = engine.listMultipartUploads(r.bucket, after, 1000);
            for (MultipartUpload u : page.items()) {
                Listed listed = listed(u, prefix, delimiter);
                if (listed == null || !listed.afterMarkers(keyMarker, idMarker)) {
                    continue;
                }
                first.add(listed); // a common prefix already held is not added twice
                if (first.size() > max + 1) {
                    first.pollLast(); // one more than asked is kept, to know whether the listing goes on
                }
            }
            if (!page.hasMore() || page.nextOffset() == null) {
                break;
            }
            after = page.nextOffset();
        }
        boolean truncated = first.size() > max;
        if (truncated) {
            first.pollLast();
        }
        List<Listed> entries = new ArrayList<>(first);
        Xml xml = Xml.document("ListMultipartUploadsResult").element("Bucket", r.bucket)
                .element("KeyMarker", S3Buckets.enc(keyMarker, url)).element("UploadIdMarker", idMarker);
        if (!prefix.isEmpty()) {
            xml.element("Prefix", S3Buckets.enc(prefix, url));
        }
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", S3Buckets.enc(delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("MaxUploads", max).element("IsTruncated", truncated);
        if (truncated) {
            Listed last = entries.get(entries.size() - 1);
            xml.element("NextKeyMarker", S3Buckets.enc(last.key(), url));
            if (last.upload() != null) {
                xml.element("NextUploadIdMarker", last.upload().id());
            }
        }
        String user = call.signed.principal().userId();
        for (Listed entry : entries) {
            MultipartUpload u = entry.upload();
            if (u == null) {
                continue;
            }
            xml.open("Upload").element("Key", S3Buckets.enc(entry.key(), url)).element("UploadId", u.id());
            xml.open("Initiator").element("ID", user).element("DisplayName", user).close("Initiator");
            xml.open("Owner").element("ID", user).element("DisplayName", user).close("Owner");
            xml.element("StorageClass", "STANDARD").timeElement("Initiated", u.created());
            if (u.checksumAlgorithm() != null) {
                xml.element("ChecksumAlgorithm", u.checksumAlgorithm().name())
                        .element("ChecksumType", u.checksumType().name());
            }
            xml.close("Upload");
        }
        for (Listed entry : entries) {
            if (entry.upload() == null) {
                xml.open("CommonPrefixes").element("Prefix", S3Buckets.enc(entry.key(), url)).close("CommonPrefixes");
            }
        }
        xml.send(r.exchange, "ListMultipartUploadsResult");
    }

    /** One entry of a ListMultipartUploads page: an upload under its key, or a common prefix (no upload). */
    record Listed(String key, MultipartUpload upload) {
        static final Comparator<Listed> ORDER = Comparator.comparing(Listed::key)
                .thenComparing(l -> l.upload() == null ? "" : l.upload().id());

        /** Whether it comes after S3's markers (a common prefix: only when greater than the key-marker). */
        boolean afterMarkers(String keyMarker, String idMarker) {
            if (upload == null) {
                return key.compareTo(keyMarker) > 0;
            }
            return S3Multipart.afterMarkers(key, upload.id(), keyMarker, idMarker);
        }
    }

    /** The entry an upload is listed as under prefix and delimiter, or null when its key is not under the prefix. */
    static Listed listed(MultipartUpload u, String prefix, String delimiter) {
        String key = uploadKey(u);
        if (!key.startsWith(prefix)) {
            return null;
        }
        if (!delimiter.isEmpty()) {
            int at = key.indexOf(delimiter, prefix.length());
            if (at >= 0) {
                return new Listed(key.substring(0, at + delimiter.length()), null);
            }
        }
        return new Listed(key, u);
    }

    private static String uploadKey(MultipartUpload u) {
        return u.branch() + "/" + u.path();
    }

    /** Whether an upload comes after S3's markers: a greater key, or the marker's key with a greater id. */
    static boolean afterMarkers(String key, String id, String keyMarker, String idMarker) {
        int c = key.compareTo(keyMarker);
        if (keyMarker.isEmpty() || c > 0) {
            return true;
        }
        return c == 0 && !idMarker.isEmpty() && id.compareTo(idMarker) > 0;
    }

    /** {@code in}, updating {@code running} (when not null) with every byte read. */
    private static InputStream checksumming(InputStream in, Checksums.Running running) {
        if (running == null) {
            return in;
        }
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b >= 0) {
                    running.update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    running.update(b, off, n);
                }
                return n;
            }
        };
    }

    private static int intParam(String value, int dflt, String name) {
        if (value == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, 1000);
        } catch (NumberFormatException e) {
            throw new S3Error(400, "InvalidArgument", name + " must be a non-negative integer");
        }
    }

    static String quoted(String etag) {
        if (etag == null) {
            return "\"\"";
        }
        return etag.startsWith("\"") ? etag : '"' + etag + '"';
    }
}
