package io.tarn.api.s3;

import io.tarn.api.s3.sig.AwsEncoding;
import io.tarn.api.s3.sig.CheckedPayload;
import io.tarn.block.ByteRange;
import io.tarn.engine.Engine;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Repository;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object operations on keys {@code <ref>/<path>}: GetObject and HeadObject from any ref (Range,
 * conditional headers, {@code response-*} overrides, user metadata), PutObject, CopyObject,
 * DeleteObject and DeleteObjects on branches only. Uploads stream into the engine; the body's checks
 * (signed hash, chunk signatures, checksums, Content-MD5) fail the upload before anything is staged.
 */
final class S3Objects {
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Pattern RANGE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_DELETE_BODY = 4 * 1024 * 1024;
    private static final int MAX_DELETE_KEYS = 1000;
    private static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");

    private final Engine engine;

    S3Objects(Engine engine) {
        this.engine = engine;
    }

    // ---- GetObject / HeadObject ---------------------------------------------------------------

    void get(S3Gateway.Call call, boolean head) {
        S3Request r = call.request;
        if (r.path() == null) {
            engine.getRepository(r.bucket); // NoSuchBucket comes first
        }
        String path = requirePath(r);
        LocatedObject found = engine.locateObject(r.bucket, r.ref(), path); // the repository and entry at once
        Repository repo = found.repository();
        ObjectEntry entry = found.entry();
        String etag = '"' + entry.checksum() + '"';
        long lastModifiedSeconds = entry.mtime() / 1000;
        var response = r.exchange.response();
        response.header("ETag", etag)
                .header("Last-Modified", HTTP_DATE.format(Instant.ofEpochSecond(lastModifiedSeconds)))
                .header("Accept-Ranges", "bytes");
        for (Map.Entry<String, String> m : entry.metadata().entrySet()) {
            response.header("x-amz-meta-" + m.getKey(), m.getValue());
        }
        Integer notModified = preconditions(r, entry.checksum(), lastModifiedSeconds);
        if (notModified != null) {
            response.empty(304);
            return;
        }
        String contentType = entry.contentType() == null ? DEFAULT_CONTENT_TYPE : entry.contentType();
        for (Map.Entry<String, String> o : r.hasParamStartingWith("response-") ? RESPONSE_OVERRIDES.entrySet()
                : Map.<String, String>of().entrySet()) {
            String value = r.param(o.getKey());
            if (value != null) {
                if (o.getValue().equals("Content-Type")) {
                    contentType = value;
                } else {
                    response.header(o.getValue(), value);
                }
            }
        }
        ByteRange range = range(r.header("range"), entry.size());
        if (range != null) {
            response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + entry.size());
        } else if (S3Checksums.asked(r)) {
            // as S3: the checksum covers the whole object, so a ranged answer carries none
            S3Checksums.answer(response, entry.contentChecksum());
        }
        int status = range == null ? 200 : 206;
        long length = range == null ? entry.size() : range.length();
        InputStream content = head ? InputStream.nullInputStream() : engine.readObject(repo, entry, range);
        response.stream(status, contentType, length, content);
    }

    /** Checks If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304 returned). */
    private static Integer preconditions(S3Request r, String checksum, long lastModifiedSeconds) {
        String ifMatch = r.header("if-match");
        String ifNoneMatch = r.header("if-none-match");
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, checksum)) {
                throw preconditionFailed("If-Match");
            }
        } else {
            Long unmodifiedSince = httpDate(r.header("if-unmodified-since"));
            if (unmodifiedSince != null && lastModifiedSeconds > unmodifiedSince) {
                throw preconditionFailed("If-Unmodified-Since");
            }
        }
        if (ifNoneMatch != null) {
            if (etagMatches(ifNoneMatch, checksum)) {
                return 304;
            }
        } else {
            Long modifiedSince = httpDate(r.header("if-modified-since"));
            if (modifiedSince != null && lastModifiedSeconds <= modifiedSince) {
                return 304;
            }
        }
        return null;
    }

    private static S3Error preconditionFailed(String header) {
        return new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"
                + " (" + header + ")");
    }

    static boolean etagMatches(String header, String checksum) {
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || unquote(t).equals(checksum)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static Long httpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return null; // an invalid date is ignored (RFC 9110)
        }
    }

    /** The range asked for, null for the whole object; 416 InvalidRange when nothing of it exists. */
    static ByteRange range(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        String first = m.group(1);
        String last = m.group(2);
        if (first.isEmpty()) {
            long suffix = number(last);
            if (suffix == 0 || size == 0) {
                throw invalidRange(size);
            }
            return new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long from = number(first);
        long to = last.isEmpty() ? Long.MAX_VALUE : number(last);
        if (to < from) {
            return null;
        }
        if (from >= size) {
            throw invalidRange(size);
        }
        return new ByteRange(from, Math.min(to, size - 1));
    }

    private static S3Error invalidRange(long size) {
        return new S3Error(416, "InvalidRange", "The requested range is not satisfiable (the object has " + size
                + " bytes)");
    }

    private static long number(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    /** Tarn keeps no object tags: an existing object has an empty tag set. */
    void tagging(S3Gateway.Call call) {
        S3Request r = call.request;
        engine.statObject(engine.getRepository(r.bucket), r.ref(), requirePath(r));
        Xml.document("Tagging").open("TagSet").close("TagSet").send(r.exchange, "Tagging");
    }

    /** The owner has full control of an existing object. */
    void acl(S3Gateway.Call call) {
        S3Request r = call.request;
        engine.statObject(engine.getRepository(r.bucket), r.ref(), requirePath(r));
        S3Buckets.sendOwnerAcl(call);
    }

    // ---- PutObject ----------------------------------------------------------------------------

    void put(S3Gateway.Call call) throws Exception {
        S3Request r = call.request;
        if (r.path() == null && r.key.endsWith("/") && call.objectLength() == 0) {
            refMarker(call);
            return;
        }
        String path = requirePath(r);
        String branch = r.ref();
        if (r.header("if-none-match") != null || r.header("if-match") != null) {
            conditionalWrite(r, requireBranch(r.bucket, branch), path);
        }
        String contentType = r.header("content-type");
        Map<String, String> metadata = r.userMetadata();
        CheckedPayload payload = call.payload();
        ObjectEntry entry;
        try {
            // the engine finds the branch (without a read when it wrote to it lately) before it opens the body
            entry = engine.putObject(r.bucket, branch, path, () -> payload, call.objectLength(), contentType, metadata,
                    () -> S3Checksums.of(payload));
        } catch (NotFoundException e) {
            if (e.kind() == NotFoundException.Kind.BRANCH) {
                throw notABranch(r.bucket, branch);
            }
            throw e;
        } catch (InvalidArgumentException | java.io.UncheckedIOException e) {
            if (payload.failure() != null) {
                throw payload.failure();
            }
            throw e;
        }
        if (payload.failure() != null) {
            throw payload.failure();
        }
        r.exchange.response().header("ETag", '"' + entry.checksum() + '"');
        S3Checksums.answer(r.exchange.response(), entry.contentChecksum());
        r.exchange.response().empty(200);
    }

    /**
     * An empty directory marker at {@code <branch>/} (pyarrow's {@code create_dir} and
     * {@code write_dataset} put one for every level of a path, the ref's own first): the branch is
     * that directory already, so it succeeds and stores nothing.
     */
    private void refMarker(S3Gateway.Call call) throws java.io.IOException {
        S3Request r = call.request;
        requireBranch(r.bucket, r.ref());
        try (CheckedPayload payload = call.payload()) {
            if (payload.read() >= 0) {
                throw new S3Error(400, "InvalidArgument", "a key is <ref>/<path>; '" + r.key + "' names no object");
            }
        }
        r.exchange.response().header("ETag", "\"" + EMPTY_MD5 + "\"");
        r.exchange.response().empty(200);
    }

    /** {@code If-None-Match: *} (only if absent) and {@code If-Match} (only if that ETag is there) on writes. */
    private void conditionalWrite(S3Request r, String branch, String path) {
        String ifNoneMatch = r.header("if-none-match");
        String ifMatch = r.header("if-match");
        if (ifNoneMatch == null && ifMatch == null) {
            return;
        }
        ObjectEntry current;
        try {
            current = engine.statObject(r.bucket, branch, path);
        } catch (NotFoundException e) {
            current = null;
        }
        if (ifNoneMatch != null && current != null && etagMatches(ifNoneMatch, current.checksum())) {
            throw preconditionFailed("If-None-Match");
        }
        if (ifMatch != null && (current == null || !etagMatches(ifMatch, current.checksum()))) {
            if (current == null) {
                throw new S3Error(404, "NoSuchKey", "The specified key does not exist (If-Match on a missing key)");
            }
            throw preconditionFailed("If-Match");
        }
    }

    // ---- CopyObject ---------------------------------------------------------------------------

    /** The repository a copy reads from: NoSuchBucket when there is none of that name. */
    static Repository sourceRepository(Engine engine, String bucket) {
        try {
            return engine.getRepository(bucket);
        } catch (NotFoundException e) {
            throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist: " + bucket);
        }
    }

    void copy(S3Gateway.Call call) throws Exception {
        S3Request r = call.request;
        String path = requirePath(r);
        String branch = requireBranch(r.bucket, r.ref());
        String[] source = copySource(r.header("x-amz-copy-source"));
        Repository sourceRepo = sourceRepository(engine, source[0]);
        ObjectEntry from = engine.statObject(sourceRepo, source[1], source[2]);
        String ifMatch = r.header("x-amz-copy-source-if-match");
        if (ifMatch != null && !etagMatches(ifMatch, from.checksum())) {
            throw preconditionFailed("x-amz-copy-source-if-match");
        }
        String ifNoneMatch = r.header("x-amz-copy-source-if-none-match");
        if (ifNoneMatch != null && etagMatches(ifNoneMatch, from.checksum())) {
            throw preconditionFailed("x-amz-copy-source-if-none-match");
        }
        String directive = r.header("x-amz-metadata-directive");
        boolean replace = directive != null && directive.trim().equalsIgnoreCase("REPLACE");
        if (directive != null && !replace && !directive.trim().equalsIgnoreCase("COPY")) {
            throw new S3Error(400, "InvalidArgument", "Unknown metadata directive: " + directive);
        }
        String contentType = replace ? r.header("content-type") : from.contentType();
        Map<String, String> metadata = replace ? r.userMetadata() : from.metadata();
        // a checksum of the whole object's bytes holds for the copy; one of a multipart upload's parts does
        // not (the copy is one object, as S3 sees it)
        ContentChecksum kept = from.contentChecksum() != null
                && from.contentChecksum().type() == ContentChecksum.Type.FULL_OBJECT ? from.contentChecksum() : null;
        ObjectEntry copied;
        if (sourceRepo.id().equals(r.bucket)) {
            // same storage namespace: the new entry shares the data (never overwritten: Tarn's data is immutable)
            copied = engine.stageObject(r.bucket, branch, new ObjectEntry(path, from.physicalAddress(), from.size(),
                    from.checksum(), System.currentTimeMillis(), contentType, metadata, kept));
        } else {
            ObjectEntry f = from;
            copied = engine.putObject(r.bucket, branch, path, () -> engine.readObject(sourceRepo, f, null), from.size(),
                    contentType, metadata, () -> kept);
        }
        Xml xml = Xml.document("CopyObjectResult").timeElement("LastModified", copied.mtime())
                .element("ETag", '"' + copied.checksum() + '"');
        if (kept != null) {
            xml.element("ChecksumType", kept.type().name()).element(kept.algorithm().element(), kept.value());
        }
        xml.send(r.exchange, "CopyObjectResult");
    }

    /** {@code [repository, ref, path]} of an {@code x-amz-copy-source} ({@code [/]bucket/ref/path[?versionId=...]}). */
    static String[] copySource(String header) {
        String value = header.trim();
        int q = value.indexOf('?');
        if (q >= 0) {
            value = value.substring(0, q);
        }
        String decoded;
        try {
            decoded = AwsEncoding.decode(value);
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "InvalidArgument", "x-amz-copy-source is not valid percent-encoding");
        }
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int first = decoded.indexOf('/');
        int second = first < 0 ? -1 : decoded.indexOf('/', first + 1);
        if (first <= 0 || second < 0 || second == decoded.length() - 1) {
            throw new S3Error(400, "InvalidArgument", "x-amz-copy-source must be <bucket>/<ref>/<path>");
        }
        return new String[] {decoded.substring(0, first), decoded.substring(first + 1, second),
                decoded.substring(second + 1)};
    }

    // ---- DeleteObject(s) ----------------------------------------------------------------------

    void delete(S3Gateway.Call call) {
        S3Request r = call.request;
        if (isRefMarker(r.key)) {
            // the directory marker of the branch itself (s3a deletes the markers of a file's parents
            // after writing it): nothing is stored there, so, as for any missing key, it succeeds
            requireBranch(r.bucket, r.ref());
            r.exchange.response().empty(204);
            return;
        }
        String path = requirePath(r);
        String branch = requireBranch(r.bucket, r.ref());
        try {
            engine.deleteObject(r.bucket, branch, path);
        } catch (NotFoundException e) {
            if (e.kind() != NotFoundException.Kind.OBJECT) {
                throw e;
            }
            // deleting a missing key succeeds, as in S3
        }
        r.exchange.response().empty(204);
    }

    void deleteMany(S3Gateway.Call call) throws Exception {
        S3Request r = call.request;
        engine.getRepository(r.bucket);
        Xml.Node root = Xml.parse(call.payload(), MAX_DELETE_BODY);
        if (!root.name().equals("Delete")) {
            throw new S3Error(400, "MalformedXML", "the body must be a <Delete> document");
        }
        boolean quiet = "true".equalsIgnoreCase(trim(root.childText("Quiet")));
        List<Xml.Node> objects = root.all("Object");
        if (objects.isEmpty() || objects.size() > MAX_DELETE_KEYS) {
            throw new S3Error(400, "MalformedXML", "a Delete request names 1 to " + MAX_DELETE_KEYS + " objects");
        }
        Xml xml = Xml.document("DeleteResult");
        Map<String, String> branches = new LinkedHashMap<>();
        for (Xml.Node object : objects) {
            String key = object.childText("Key");
            if (key == null) {
                throw new S3Error(400, "MalformedXML", "every Object needs a Key");
            }
            S3Error error;
            try {
                call.authorize(List.of(S3Access.deleteItem(r.bucket, key)));
                error = deleteOne(r.bucket, key, branches);
            } catch (io.tarn.error.AccessDeniedException denied) {
                error = S3Errors.domain(denied);
            }
            if (error == null) {
                if (!quiet) {
                    xml.open("Deleted").element("Key", key).close("Deleted");
                }
            } else {
                xml.open("Error").element("Key", key).element("Code", error.code()).element("Message", error.getMessage())
                        .close("Error");
            }
        }
        xml.send(r.exchange, "DeleteResult");
    }

    private S3Error deleteOne(String repo, String key, Map<String, String> checkedBranches) {
        int slash = key.indexOf('/');
        if (slash <= 0) {
            return new S3Error(400, "InvalidArgument", "a key is <ref>/<path>");
        }
        String ref = key.substring(0, slash);
        try {
            if (!checkedBranches.containsKey(ref)) {
                checkedBranches.put(ref, requireBranch(repo, ref));
            }
            if (isRefMarker(key)) {
                return null; // the branch's own directory marker: nothing stored, deleted as a missing key
            }
            engine.deleteObject(repo, ref, key.substring(slash + 1));
            return null;
        } catch (NotFoundException e) {
            return e.kind() == NotFoundException.Kind.OBJECT ? null : S3Errors.domain(e);
        } catch (S3Error e) {
            return e;
        } catch (io.tarn.error.TarnException e) {
            return S3Errors.domain(e);
        }
    }

    // ---- shared -------------------------------------------------------------------------------

    /** Whether a key is {@code <ref>/} alone: the directory marker of a ref, which the ref itself stands for. */
    static boolean isRefMarker(String key) {
        int slash = key.indexOf('/');
        return slash > 0 && slash == key.length() - 1;
    }

    static String requirePath(S3Request r) {
        String path = r.path();
        if (path == null) {
            if (r.method().equals("GET") || r.method().equals("HEAD")) {
                throw new S3Error(404, "NoSuchKey", "The specified key does not exist: a key is <ref>/<path>");
            }
            throw new S3Error(400, "InvalidArgument", "a key is <ref>/<path>; '" + r.key + "' names no object");
        }
        return path;
    }

    /**
     * The branch a write goes to. A tag or a commit is read-only: 403 AccessDenied, nothing written;
     * a ref that does not exist at all: NoSuchBucket (as lakeFS answers).
     */
    String requireBranch(String repo, String ref) {
        try {
            engine.getBranch(repo, ref);
            return ref;
        } catch (NotFoundException e) {
            if (e.kind() == NotFoundException.Kind.REPOSITORY) {
                throw e;
            }
        } catch (InvalidArgumentException e) {
            // not a branch name at all (a commit with modifiers, ...): see below
        }
        throw notABranch(repo, ref);
    }

    /**
     * The answer to a write to {@code ref}, which is no branch of {@code repo}: a tag or a commit is
     * read-only (403 AccessDenied); anything else NoSuchBucket.
     */
    private S3Error notABranch(String repo, String ref) {
        boolean readOnlyRef;
        try {
            engine.getCommit(repo, ref);
            readOnlyRef = true;
        } catch (NotFoundException | InvalidArgumentException e) {
            readOnlyRef = false;
        }
        if (readOnlyRef) {
            return new S3Error(403, "AccessDenied", "'" + ref + "' is a tag or a commit of repository '" + repo
                    + "': objects are written to branches only");
        }
        return new S3Error(404, "NoSuchBucket", "repository '" + repo + "' has no branch '" + ref
                + "' (writes go to branches)");
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

}
