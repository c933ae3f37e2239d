package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.Page;
import io.tarn.error.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tag {@code refs}: diff two refs, merge a ref into a branch. */
final class RefOperations {
    private final Engine engine;

    RefOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("diffRefs", this::diff)
                .add("mergeIntoBranch", this::merge)
                .add("findMergeBase", this::mergeBase);
    }

    static CurrentWire.DiffJson diffItem(Listings.DiffItem item) {
        return switch (item) {
            case Listings.One one -> CurrentWire.change(one.change());
            case Listings.Group group -> CurrentWire.changedPrefix(group.path());
        };
    }

    /**
     * lakeFS's current direction: the changes that lead from leftRef to rightRef (two_dot), or those
     * made on rightRef since the merge base (three_dot) — the engine's diff seen from the right side.
     */
    private void diff(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String left = Inputs.ref(request.pathParam("leftRef"), "leftRef");
        String right = Inputs.ref(request.pathParam("rightRef"), "rightRef");
        String typeText = request.query("type").filter(s -> !s.isEmpty()).orElse("three_dot");
        DiffType type = Inputs.diffType(typeText);
        Paging paging = Requests.paging(request);
        Page<Listings.DiffItem> page = Listings.diff(
                (after, amount) -> engine.diffRefs(repository, right, left, type, after, amount),
                Requests.prefix(request), Requests.delimiter(request), paging.after(), paging.amount());
        response.json(200, CurrentWire.page(page, RefOperations::diffItem));
    }

    private void merge(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String source = Inputs.ref(request.pathParam("sourceRef"), "sourceRef");
        String destination = Inputs.branchName(request.pathParam("destinationBranch"), "destinationBranch");
        JsonBody body = JsonBody.optional(request, "Merge");
        String message = Inputs.mergeMessage(body);
        boolean squash = body.optionalBoolean("squash_merge", false);
        boolean allowEmpty = body.optionalBoolean("allow_empty", false);
        MergeStrategy strategy = Inputs.mergeStrategy(body.optionalString("strategy"), "strategy");
        MergeResult result = engine.merge(repository, source, destination, new MergeRequest(message,
                request.user().orElse(""), body.stringMap("metadata"), strategy, squash, allowEmpty));
        response.json(200, Map.of("reference", result.commit().id()));
    }

    /** The source ref's commit, the destination branch's head, and their merge base (404 if none). */
    private void mergeBase(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String source = Inputs.ref(request.pathParam("sourceRef"), "sourceRef");
        String destination = Inputs.branchName(request.pathParam("destinationBranch"), "destinationBranch");
        String sourceId = engine.getCommit(repository, source).id();
        String destinationId = engine.getBranch(repository, destination).commitId();
        Commit base = engine.mergeBase(repository, sourceId, destinationId).orElseThrow(() -> new NotFoundException(
                NotFoundException.Kind.COMMIT, "merge base of " + source + " and " + destination));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source_commit_id", sourceId);
        out.put("destination_commit_id", destinationId);
        out.put("base_commit_id", base.id());
        response.json(200, out);
    }
}
