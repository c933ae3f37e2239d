package io.tarn.api.classic;

import io.tarn.api.classic.wire.Wire;
import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
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
                .add("deleteRepository", this::delete);
    }

    private void list(ApiRequest request, ApiResponse response) {
        Paging paging = Paging.of(request, Paging.DEFAULT_SMALL);
        response.json(200, Wire.page(engine.listRepositories(paging.after(), paging.amount()), Wire::repository));
    }

    private void create(ApiRequest request, ApiResponse response) {
        JsonBody body = JsonBody.required(request, "repository");
        String id = Inputs.repositoryId(body.requiredString("id"), "repository.id");
        String namespace = Inputs.storageNamespace(body.requiredString("storage_namespace"),
                "repository.storage_namespace");
        String defaultBranch = Inputs.defaultBranch(body.optionalString("default_branch"), "repository.default_branch");
        Repository created = engine.createRepository(id, namespace, defaultBranch);
        response.json(201, Wire.repository(created));
    }

    private void get(ApiRequest request, ApiResponse response) {
        String id = Inputs.repositoryId(request.pathParam("repository"), "repository");
        response.json(200, Wire.repository(engine.getRepository(id)));
    }

    private void delete(ApiRequest request, ApiResponse response) {
        String id = Inputs.repositoryId(request.pathParam("repository"), "repository");
        engine.deleteRepository(id);
        response.empty(204);
    }
}
