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
                .add("getRepositoryMetadata", this::metadata);
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

    /** Always empty: repositories have no metadata here (setting it answers 501). */
    private void metadata(ApiRequest request, ApiResponse response) {
        engine.getRepository(Requests.repository(request));
        response.json(200, java.util.Map.of());
    }

    private void delete(ApiRequest request, ApiResponse response) {
        engine.deleteRepository(Requests.repository(request));
        response.empty(204);
    }
}
