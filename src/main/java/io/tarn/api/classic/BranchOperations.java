package io.tarn.api.classic;

import io.tarn.api.classic.wire.Wire;
import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ResetScope;
import io.tarn.error.InvalidArgumentException;
import java.util.Map;

/** Tag {@code branches}: branches, their uncommitted changes, reset and revert. */
final class BranchOperations {
    private final Engine engine;

    BranchOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("listBranches", this::list)
                .add("createBranch", this::create)
                .add("getBranch", this::get)
                .add("deleteBranch", this::delete)
                .add("revertBranch", this::revert)
                .add("diffBranch", this::diff);
    }

    private void list(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        Paging paging = Paging.of(request, Paging.DEFAULT_SMALL);
        response.json(200, Wire.page(engine.listBranches(repository, paging.after(), paging.amount()), Branch::name));
    }

    private void create(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        JsonBody body = JsonBody.required(request, "branch");
        String name = Inputs.branchName(body.requiredString("name"), "branch.name");
        String source = Inputs.ref(body.requiredString("source"), "branch.source");
        Branch created = engine.createBranch(repository, name, source);
        response.json(201, created.commitId());
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        response.json(200, engine.getBranch(repository, branch).commitId());
    }

    private void delete(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        engine.deleteBranch(repository, branch);
        response.empty(204);
    }

    private void revert(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        JsonBody body = JsonBody.required(request, "revert");
        String type = body.requiredString("type");
        switch (type) {
            case "reset" -> engine.reset(repository, branch, new ResetScope.All());
            case "object" -> engine.reset(repository, branch,
                    Inputs.objectScope(body.optionalString("path"), "revert.path"));
            case "common_prefix" -> engine.reset(repository, branch,
                    Inputs.prefixScope(body.optionalString("path"), "revert.path"));
            case "commit" -> {
                String ref = Inputs.ref(body.optionalString("commit"), "revert.commit");
                Commit reverted = engine.getCommit(repository, ref);
                engine.revert(repository, branch, reverted.id(), 1,
                        new CommitRequest("Revert " + reverted.id(), request.user().orElse(""), Map.of(), false));
            }
            default -> throw new InvalidArgumentException(
                    "revert.type must be one of reset, object, common_prefix, commit: " + Inputs.quote(type));
        }
        response.empty(204);
    }

    private void diff(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        Paging paging = Paging.of(request, Paging.MAX_PER_PAGE);
        response.json(200, Wire.page(engine.diffBranch(repository, branch, paging.after(), paging.amount()),
                Wire::change));
    }
}
