package io.tarn.api.classic;

import io.tarn.api.classic.wire.UnderlyingPropertiesJson;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.common.Inputs;
import io.tarn.api.common.ObjectReads;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Repository;
import io.tarn.error.InvalidArgumentException;
import java.util.Map;

/** Tag {@code objects}: upload, download (with Range), stat, list, delete. */
public final class ObjectOperations {
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
        response.json(201, Wire.objectText(entry, response::jsonBuffer));
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        LocatedObject found = engine.locateObject(repository, ref, path); // the repository and entry at once
        ObjectEntry entry = found.entry();
        ObjectReads.headers(response, entry, path);
        ObjectReads.body(request, response, entry, ObjectReads.OCTET_STREAM,
                range -> engine.readObject(found.repository(), entry, range));
    }

    private void stat(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        String path = Inputs.objectPath(requiredQuery(request, "path"), "path");
        response.json(200, Wire.objectText(engine.statObject(repository, ref, path), response::jsonBuffer));
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
        response.json(200, Wire.listText(
                engine.listObjects(repository, ref, prefix, delimiter, paging.after(), paging.amount()),
                response::jsonBuffer));
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
}
