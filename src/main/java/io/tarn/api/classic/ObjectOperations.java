package io.tarn.api.classic;

import io.tarn.api.classic.wire.UnderlyingPropertiesJson;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.block.ByteRange;
import io.tarn.engine.Engine;
import io.tarn.error.InvalidArgumentException;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Repository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Tag {@code objects}: upload, download (with Range), stat, list, delete. */
public final class ObjectOperations {
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String OCTET_STREAM = "application/octet-stream";
    private final Engine engine;

    ObjectOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("uploadObject", this::upload)
                .add("getObject", this::get)
                .add("statObject", this::stat)
                .add("listObjects", this::list)
                .add("deleteObject", this::delete)
                .add("getUnderlyingProperties", this::underlyingProperties);
    }

    private void upload(ApiRequest request, ApiResponse response) throws Exception {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        // the engine opens the body only once the branch is found: a 404 reads none of it
        ObjectEntry entry = engine.putObject(repository, branch, path,
                () -> request.multipartFile("content"), -1, null, Map.of());
        response.json(201, Wire.object(entry));
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        Repository repo = engine.getRepository(repository); // read once, for the stat and the read
        ObjectEntry entry = engine.statObject(repo, ref, path);
        response.header("ETag", '"' + entry.checksum() + '"')
                .header("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(entry.mtime())))
                .header("Content-Disposition", contentDisposition(path))
                .header("Accept-Ranges", "bytes");
        switch (RangeHeader.parse(request.header("Range"), entry.size())) {
            case RangeHeader.Whole whole ->
                    response.stream(200, OCTET_STREAM, entry.size(), engine.readObject(repo, entry, null));
            case RangeHeader.Part part -> {
                ByteRange range = part.range();
                response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + entry.size());
                response.stream(206, OCTET_STREAM, range.length(), engine.readObject(repo, entry, range));
            }
            case RangeHeader.Unsatisfiable unsatisfiable -> {
                throw new ApiException(416, "range not satisfiable: the object has " + entry.size() + " bytes")
                        .withHeader("Content-Range", "bytes */" + entry.size());
            }
        }
    }

    private void stat(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        response.json(200, Wire.object(engine.statObject(repository, ref, path)));
    }

    private void list(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        String prefix = Inputs.pathPrefix(request.query("prefix").orElse(""), "prefix");
        String delimiter = request.query("delimiter").orElse("/");
        if (delimiter.length() > 16 || delimiter.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("delimiter must be at most 16 characters without NUL");
        }
        Paging paging = Paging.of(request, Paging.MAX_PER_PAGE);
        response.json(200, Wire.page(
                engine.listObjects(repository, ref, prefix, delimiter, paging.after(), paging.amount()),
                Wire::listItem));
    }

    private void delete(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        engine.deleteObject(repository, branch, path);
        response.empty(204);
    }

    private void underlyingProperties(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        engine.statObject(repository, ref, path);
        // The block stores Tarn runs on (local, mem, S3 through its default class) expose no storage class.
        response.json(200, new UnderlyingPropertiesJson(null));
    }

    private static String requiredQuery(ApiRequest request, String name) {
        return request.query(name).orElseThrow(() -> new InvalidArgumentException("query parameter '" + name + "' is required"));
    }

    /** {@code attachment; filename="<basename>"}, plus an RFC 5987 {@code filename*} when it is not plain ASCII. */
    public static String contentDisposition(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (base.isEmpty()) {
            base = "object";
        }
        StringBuilder ascii = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                ascii.append('_');
                plain = false;
            } else if (c == '"' || c == '\\') {
                ascii.append('\\').append(c);
            } else {
                ascii.append(c);
            }
        }
        String header = "attachment; filename=\"" + ascii + '"';
        if (!plain) {
            header += "; filename*=UTF-8''" + percentEncode(base);
        }
        return header;
    }

    private static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
