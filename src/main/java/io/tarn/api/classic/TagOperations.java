package io.tarn.api.classic;

import io.tarn.api.classic.wire.RefJson;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Tag;

/** Tag {@code tags}: immutable names of commits (not in the 2020 API; shaped like lakeFS's later one). */
final class TagOperations {
    private final Engine engine;

    TagOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("listTags", this::list)
                .add("createTag", this::create)
                .add("getTag", this::get)
                .add("deleteTag", this::delete);
    }

    private static RefJson ref(Tag tag) {
        return new RefJson(tag.name(), tag.commitId());
    }

    private void list(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        Paging paging = Paging.of(request, Paging.DEFAULT_SMALL);
        response.json(200, Wire.page(engine.listTags(repository, paging.after(), paging.amount()), TagOperations::ref));
    }

    private void create(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        JsonBody body = JsonBody.required(request, "tag");
        String name = Inputs.tagName(body.requiredString("id"), "tag.id");
        String target = Inputs.ref(body.requiredString("ref"), "tag.ref");
        response.json(201, ref(engine.createTag(repository, name, target)));
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String name = Inputs.tagName(request.pathParam("tag"), "tag");
        response.json(200, ref(engine.getTag(repository, name)));
    }

    private void delete(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String name = Inputs.tagName(request.pathParam("tag"), "tag");
        engine.deleteTag(repository, name);
        response.empty(204);
    }
}
