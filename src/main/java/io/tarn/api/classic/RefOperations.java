package io.tarn.api.classic;

import io.tarn.api.classic.wire.MergeJson;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;

/** Tag {@code refs}: diff two refs, merge a ref into a branch. */
final class RefOperations {
    private final Engine engine;

    RefOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("diffRefs", this::diff)
                .add("mergeIntoBranch", this::merge);
    }

    private void diff(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String left = Inputs.ref(request.pathParam("leftRef"), "leftRef");
        String right = Inputs.ref(request.pathParam("rightRef"), "rightRef");
        DiffType type = Inputs.diffType(request.query("type").orElse("three_dot"));
        Paging paging = Paging.of(request, Paging.MAX_PER_PAGE);
        response.json(200, Wire.page(
                engine.diffRefs(repository, left, right, type, paging.after(), paging.amount()), Wire::change));
    }

    private void merge(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String source = Inputs.ref(request.pathParam("sourceRef"), "sourceRef");
        String destination = Inputs.branchName(request.pathParam("destinationRef"), "destinationRef");
        JsonBody body = JsonBody.optional(request, "merge");
        String message = Inputs.mergeMessage(body);
        MergeStrategy strategy = Inputs.mergeStrategy(body.optionalString("strategy"), "merge.strategy");
        MergeResult result = engine.merge(repository, source, destination,
                new MergeRequest(message, request.user().orElse(""), body.stringMap("metadata"), strategy));
        response.json(200, new MergeJson(
                result.changes().stream().limit(MergeResult.MAX_LISTED).map(Wire::change).toList(),
                result.commit().id(), Wire.summary(result.summary())));
    }
}
