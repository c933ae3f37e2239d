package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;

/** Tag {@code repositories}. */
final class RepositoryOperations {
    private final Engine engine;

    RepositoryOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("listRepositories", this::list)
                .add("createRepository", this::create)
                .add("getRepository", this::get)
                .add("deleteRepository", this::delete)
                .add("getRepositoryMetadata", this::metadata)
                .add("setRepositoryMetadata", this::setMetadata)
                .add("deleteRepositoryMetadata", this::deleteMetadata);
    }

    private void list(ApiRequest request, ApiResponse response) {
        Paging paging = Requests.paging(request);
        String prefix = Requests.prefix(request);
        String search = request.query("search").orElse("");
        Page<Repository> page = Listings.filtered(engine::listRepositories, Repository::id, prefix,
                repository -> repository.id().contains(search), paging.after(), paging.amount());
        response.json(200, CurrentWire.page(page, CurrentWire::repository));
    }

    private void create(ApiRequest request, ApiResponse response) {
        if (Requests.bool(request, "bare", false)) {
            throw Requests.notImplemented("bare repositories (bare=true)");
        }
        JsonBody body = JsonBody.required(request, "RepositoryCreation");
        String id = Inputs.repositoryId(body.requiredString("name"), "name");
        String namespace = Inputs.storageNamespace(body.requiredString("storage_namespace"), "storage_namespace");
        String defaultBranch = Inputs.defaultBranch(body.optionalString("default_branch"), "default_branch");
        if (body.optionalBoolean("read_only", false)) {
            throw Requests.notImplemented("read-only repositories (read_only=true)");
        }
        if (body.optionalBoolean("sample_data", false)) {
            throw Requests.notImplemented("sample data (sample_data=true)");
        }
        Repository created = engine.createRepository(id, namespace, defaultBranch);
        response.json(201, CurrentWire.repository(created));
    }

    private void get(ApiRequest request, ApiResponse response) {
        response.json(200, CurrentWire.repository(engine.getRepository(Requests.repository(request))));
    }

    private void metadata(ApiRequest request, ApiResponse response) {
        response.json(200, engine.getRepositoryMetadata(Requests.repository(request)));
    }

    /** Adds or replaces the given keys (the others stay). */
    private void setMetadata(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        JsonBody body = JsonBody.required(request, "RepositoryMetadataSet");
        if (!body.has("metadata")) {
            throw new io.tarn.error.InvalidArgumentException("RepositoryMetadataSet.metadata is required");
        }
        engine.setRepositoryMetadata(repository, body.stringMap("metadata"));
        response.empty(204);
    }

    /** Removes the given keys (keys that are not set are ignored). */
    private void deleteMetadata(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        JsonBody body = JsonBody.required(request, "RepositoryMetadataKeys");
        engine.deleteRepositoryMetadata(repository, body.requiredStringList("keys"));
        response.empty(204);
    }

    private void delete(ApiRequest request, ApiResponse response) {
        engine.deleteRepository(Requests.repository(request));
        response.empty(204);
    }
}
