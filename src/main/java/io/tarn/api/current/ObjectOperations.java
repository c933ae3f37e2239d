package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.ObjectReads;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.error.TarnException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Tag {@code objects}: upload (multipart or raw), read (with Range), head, stat, list, delete. */
final class ObjectOperations {
    /** User metadata travels in headers with this prefix on a raw upload (what the lakefs SDK sends). */
    static final String METADATA_HEADER_PREFIX = "x-lakefs-meta-";
    /** The most paths deleteObjects takes in one call (lakeFS's limit). */
    static final int MAX_DELETE_PATHS = 1000;
    private final Engine engine;

    ObjectOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("uploadObject", this::upload)
                .add("getObject", this::get)
                .add("headObject", this::head)
                .add("statObject", this::stat)
                .add("listObjects", this::list)
                .add("getUnderlyingProperties", this::underlyingProperties)
                .add("deleteObject", this::delete)
                .add("deleteObjects", this::deleteMany)
                .add("copyObject", this::copy)
                .add("updateObjectUserMetadata", this::updateUserMetadata);
    }

    private static String path(ApiRequest request) {
        return Inputs.objectPath(Requests.requiredQuery(request, "path"), "path");
    }

    private static String ref(ApiRequest request) {
        return Inputs.ref(request.pathParam("ref"), "ref");
    }

    private void upload(ApiRequest request, ApiResponse response) throws Exception {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String path = path(request);
        if (request.query("storageClass").filter(s -> !s.isEmpty()).isPresent()) {
            throw Requests.notImplemented("storage classes (storageClass)");
        }
        if (request.header("If-Match").isPresent()) {
            throw Requests.notImplemented("conditional uploads with If-Match");
        }
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isPresent()) {
            if (!ifNoneMatch.get().trim().equals("*")) {
                throw new InvalidArgumentException("If-None-Match supports only '*'");
            }
            if (exists(repository, branch, path)) {
                throw new ApiException(412, "object " + Inputs.quote(path) + " already exists");
            }
        }
        String contentType = request.header("Content-Type").orElse("").trim();
        boolean multipart = contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        ObjectEntry entry;
        if (multipart) {
            // the engine opens the body only once the branch is found: a 404 reads none of it; the object's
            // content type is the part's own (as lakeFS keeps it), which a client sets to the file's type
            entry = engine.putObject(repository, branch, path, new FormContent(request), -1, null, Map.of());
        } else {
            long length = request.header("Content-Length").map(ObjectOperations::length).orElse(-1L);
            entry = engine.putObject(repository, branch, path, request::body, length,
                    contentType.isEmpty() ? null : contentType, userMetadata(request));
        }
        response.json(201, CurrentWire.object(engine.lastReadRepository(repository), entry, true));
    }

    /** The {@code content} part of a multipart/form-data upload, which brings its own content type. */
    private static final class FormContent implements Engine.Content {
        private final ApiRequest request;
        private String contentType;

        FormContent(ApiRequest request) {
            this.request = request;
        }

        @Override
        public java.io.InputStream open() {
            ApiRequest.FilePart part = request.multipartPart("content");
            contentType = part.contentType().orElse(null);
            return part.content();
        }

        @Override
        public String contentType() {
            return contentType;
        }
    }

    private boolean exists(String repository, String branch, String path) {
        try {
            engine.statObject(repository, branch, path);
            return true;
        } catch (NotFoundException e) {
            engine.getBranch(repository, branch); // a missing repository or branch is the 404, not a 201
            return false;
        }
    }

    private static long length(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> userMetadata(ApiRequest request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String name : request.headerNames()) {
            if (name.length() > METADATA_HEADER_PREFIX.length()
                    && name.regionMatches(true, 0, METADATA_HEADER_PREFIX, 0, METADATA_HEADER_PREFIX.length())) {
                String key = name.substring(METADATA_HEADER_PREFIX.length()).toLowerCase(Locale.ROOT);
                request.header(name).ifPresent(value -> metadata.put(key, value));
            }
        }
        return metadata;
    }

    private void get(ApiRequest request, ApiResponse response) {
        read(request, response, true);
    }

    private void head(ApiRequest request, ApiResponse response) {
        read(request, response, false);
    }

    private void read(ApiRequest request, ApiResponse response, boolean withBody) {
        String repository = Requests.repository(request);
        String ref = ref(request);
        String path = path(request);
        boolean presign = Requests.presign(request);
        LocatedObject found = engine.locateObject(repository, ref, path); // the repository and entry at once
        Repository repo = found.repository();
        ObjectEntry entry = found.entry();
        if (presign) {
            // lakeFS's answer: a redirect to the data in the block store
            URI url = engine.presignGet(repo, entry, Requests.PRESIGN_TTL).orElseThrow(Requests::presignUnsupported);
            response.header("Location", url.toString());
            response.empty(302);
            return;
        }
        String type = entry.contentType() == null ? ObjectReads.OCTET_STREAM : entry.contentType();
        ObjectReads.headers(response, entry, path);
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (withBody && ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), entry.checksum())) {
            response.empty(304);
            return;
        }
        ObjectReads.body(request, response, entry, type,
                range -> withBody ? engine.readObject(repo, entry, range) : InputStream.nullInputStream());
    }

    /** An {@code If-None-Match} list ({@code *}, or ETags, weak or strong) that names this checksum. */
    static boolean matches(String header, String checksum) {
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals('"' + checksum + '"') || t.equals(checksum)) {
                return true;
            }
        }
        return false;
    }

    private void stat(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String ref = ref(request);
        String path = path(request);
        boolean presign = Requests.presign(request);
        boolean userMetadata = Requests.bool(request, "user_metadata", true);
        LocatedObject found = engine.locateObject(repository, ref, path);
        Repository repo = found.repository();
        ObjectEntry entry = found.entry();
        response.json(200, presign ? presigned(repo, entry, userMetadata) : CurrentWire.object(repo, entry, userMetadata));
    }

    /** Flat by default ({@code delimiter} left out or empty); grouped into common prefixes with one. */
    private void list(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String ref = ref(request);
        boolean presign = Requests.presign(request);
        boolean userMetadata = Requests.bool(request, "user_metadata", true);
        Paging paging = Requests.paging(request);
        Page<ListItem> page = engine.listObjects(repository, ref, Requests.prefix(request), Requests.delimiter(request),
                paging.after(), paging.amount());
        // the repository record the listing has just read (its namespace makes the physical addresses)
        Repository repo = engine.lastReadRepository(repository);
        response.json(200, CurrentWire.objectPage(repo, page, userMetadata,
                presign ? entry -> presignedUrl(repo, entry) : null, response::jsonBuffer));
    }

    /** The object with a presigned GET URL as its physical address (and its expiry), as lakeFS answers. */
    private CurrentWire.ObjectStatsJson presigned(Repository repo, ObjectEntry entry, boolean userMetadata) {
        CurrentWire.Presigned url = presignedUrl(repo, entry);
        return CurrentWire.object(entry, url.url(), url.expiry(), userMetadata);
    }

    private CurrentWire.Presigned presignedUrl(Repository repo, ObjectEntry entry) {
        URI url = engine.presignGet(repo, entry, Requests.PRESIGN_TTL).orElseThrow(Requests::presignUnsupported);
        return new CurrentWire.Presigned(url.toString(), java.time.Instant.now().plus(Requests.PRESIGN_TTL).getEpochSecond());
    }

    private void underlyingProperties(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        engine.statObject(repository, ref(request), path(request));
        // the block stores Tarn runs on (local, mem, S3 through its default class) record no storage class
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storage_class", null);
        response.json(200, out);
    }

    private void delete(ApiRequest request, ApiResponse response) {
        noTombstone(request);
        engine.deleteObject(Requests.repository(request), Requests.branch(request), path(request));
        response.empty(204);
    }

    /** Deletes each path; a path that does not exist is not an error (as in lakeFS); others are listed. */
    private void deleteMany(ApiRequest request, ApiResponse response) {
        noTombstone(request);
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        JsonBody body = JsonBody.required(request, "PathList");
        List<String> paths = body.requiredStringList("paths");
        if (paths.size() > MAX_DELETE_PATHS) {
            throw new InvalidArgumentException("at most " + MAX_DELETE_PATHS + " paths can be deleted in one call");
        }
        engine.getBranch(repository, branch);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (String path : paths) {
            try {
                engine.deleteObject(repository, branch, Inputs.objectPath(path, "path"));
            } catch (NotFoundException e) {
                // already gone
            } catch (TarnException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("status_code", CurrentErrors.map(e).status());
                error.put("message", e.getMessage());
                error.put("path", path);
                errors.add(error);
            }
        }
        response.json(200, Map.of("errors", errors));
    }

    /**
     * Copies {@code src_path} (at {@code src_ref}, else this branch) to {@code dest_path}: the data is
     * streamed into a new object, or with {@code shallow} the new entry shares the source's data.
     */
    private void copy(ApiRequest request, ApiResponse response) throws Exception {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String destination = Inputs.objectPath(Requests.requiredQuery(request, "dest_path"), "dest_path");
        JsonBody body = JsonBody.required(request, "ObjectCopyCreation");
        String source = Inputs.objectPath(body.requiredString("src_path"), "src_path");
        String sourceRef = body.optionalString("src_ref");
        sourceRef = sourceRef == null || sourceRef.isEmpty() ? branch : Inputs.ref(sourceRef, "src_ref");
        Repository repo = engine.getRepository(repository);
        engine.getBranch(repository, branch);
        ObjectEntry entry = engine.statObject(repo, sourceRef, source);
        ObjectEntry copied;
        if (body.optionalBoolean("shallow", false)) {
            copied = engine.stageObject(repository, branch, new ObjectEntry(destination, entry.physicalAddress(),
                    entry.size(), entry.checksum(), System.currentTimeMillis(), entry.contentType(), entry.metadata()));
        } else {
            copied = engine.putObject(repository, branch, destination, () -> engine.readObject(repo, entry, null),
                    entry.size(), entry.contentType(), entry.metadata());
        }
        response.json(201, CurrentWire.object(repo, copied, true));
    }

    /** Replaces the user metadata of an object on the branch (its data is kept). */
    private void updateUserMetadata(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String path = path(request);
        JsonBody body = JsonBody.required(request, "UpdateObjectUserMetadata");
        if (!body.has("set")) {
            throw new InvalidArgumentException("set is required");
        }
        Map<String, String> metadata = body.stringMap("set");
        ObjectEntry entry = engine.statObject(repository, branch, path);
        engine.stageObject(repository, branch, new ObjectEntry(entry.path(), entry.physicalAddress(), entry.size(),
                entry.checksum(), System.currentTimeMillis(), entry.contentType(), metadata));
        response.empty(204);
    }

    private static void noTombstone(ApiRequest request) {
        if (Requests.bool(request, "no_tombstone", false)) {
            throw Requests.notImplemented("deleting without a tombstone (no_tombstone=true)");
        }
    }
}
