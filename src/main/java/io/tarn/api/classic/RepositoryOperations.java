package io.tarn.api.classic;

import io.tarn.api.classic.wire.Wire;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.error.InvalidArgumentException;
import io.tarn.engine.model.Repository;

/** Tag {@code repositories}. */
final class RepositoryOperations {
    private static final String DEFAULT_BRANCH = "main";
    private static final int MAX_NAMESPACE_CHARS = 1024;
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
        String namespace = body.requiredString("storage_namespace");
        if (namespace.isBlank() || namespace.length() > MAX_NAMESPACE_CHARS || namespace.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("repository.storage_namespace is not a valid storage namespace: "
                    + Inputs.quote(namespace));
        }
        String defaultBranch = body.optionalString("default_branch");
        defaultBranch = defaultBranch == null || defaultBranch.isEmpty()
                ? DEFAULT_BRANCH : Inputs.branchName(defaultBranch, "repository.default_branch");
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
