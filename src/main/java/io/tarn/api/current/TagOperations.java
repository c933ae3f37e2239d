package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Tag;
import io.tarn.error.NotFoundException;

/** Tag {@code tags}: immutable names of commits. */
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

    private static CurrentWire.RefJson ref(Tag tag) {
        return new CurrentWire.RefJson(tag.name(), tag.commitId());
    }

    private static String tag(ApiRequest request) {
        return Inputs.tagName(request.pathParam("tag"), "tag");
    }

    private void list(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        Paging paging = Requests.paging(request);
        Page<Tag> page = Listings.filtered((after, amount) -> engine.listTags(repository, after, amount), Tag::name,
                Requests.prefix(request), t -> true, paging.after(), paging.amount());
        response.json(200, CurrentWire.page(page, TagOperations::ref));
    }

    /** {@code force}: replace an existing tag of that name (deleted, then created). */
    private void create(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        JsonBody body = JsonBody.required(request, "TagCreation");
        String name = Inputs.tagName(body.requiredString("id"), "id");
        String target = Inputs.ref(body.requiredString("ref"), "ref");
        if (body.optionalBoolean("force", false)) {
            engine.getCommit(repository, target); // an unknown target leaves the old tag alone
            try {
                engine.deleteTag(repository, name);
            } catch (NotFoundException absent) {
                // nothing to replace
            }
        }
        response.json(201, ref(engine.createTag(repository, name, target)));
    }

    private void get(ApiRequest request, ApiResponse response) {
        response.json(200, ref(engine.getTag(Requests.repository(request), tag(request))));
    }

    private void delete(ApiRequest request, ApiResponse response) {
        engine.deleteTag(Requests.repository(request), tag(request));
        response.empty(204);
    }
}
