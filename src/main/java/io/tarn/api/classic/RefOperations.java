package io.tarn.api.classic;

import io.tarn.api.classic.wire.MergeJson;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.error.InvalidArgumentException;
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
        DiffType type = switch (request.query("type").orElse("three_dot")) {
            case "three_dot" -> DiffType.THREE_DOT;
            case "two_dot" -> DiffType.TWO_DOT;
            default -> throw new InvalidArgumentException("type must be two_dot or three_dot: "
                    + Inputs.quote(request.query("type").orElse("")));
        };
        Paging paging = Paging.of(request, Paging.MAX_PER_PAGE);
        response.json(200, Wire.page(
                engine.diffRefs(repository, left, right, type, paging.after(), paging.amount()), Wire::change));
    }

    private void merge(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String source = Inputs.ref(request.pathParam("sourceRef"), "sourceRef");
        String destination = Inputs.branchName(request.pathParam("destinationRef"), "destinationRef");
        JsonBody body = JsonBody.optional(request, "merge");
        String message = body.optionalString("message");
        if (message != null && message.isBlank()) {
            message = null;
        }
        MergeStrategy strategy = strategy(body.optionalString("strategy"));
        MergeResult result = engine.merge(repository, source, destination,
                new MergeRequest(message, request.user().orElse(""), body.stringMap("metadata"), strategy));
        response.json(200, new MergeJson(
                result.changes().stream().limit(MergeResult.MAX_LISTED).map(Wire::change).toList(),
                result.commit().id(), Wire.summary(result.summary())));
    }

    private static MergeStrategy strategy(String value) {
        if (value == null || value.isEmpty()) {
            return MergeStrategy.NONE;
        }
        return switch (value) {
            case "dest-wins" -> MergeStrategy.DEST_WINS;
            case "source-wins" -> MergeStrategy.SOURCE_WINS;
            default -> throw new InvalidArgumentException("merge.strategy must be dest-wins or source-wins: "
                    + Inputs.quote(value));
        };
    }
}
