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

/** Tag {@code commits}. */
final class CommitOperations {
    private final Engine engine;

    CommitOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("commit", this::commit)
                .add("getCommit", this::get)
                .add("getBranchCommitLog", this::log);
    }

    private void commit(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        JsonBody body = JsonBody.required(request, "commit");
        String message = Inputs.commitMessage(body, "commit.message");
        Commit commit = engine.commit(repository, branch,
                new CommitRequest(message, request.user().orElse(""), body.stringMap("metadata"), false));
        response.json(201, Wire.commit(commit));
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String ref = Inputs.ref(request.pathParam("commitId"), "commitId");
        response.json(200, Wire.commit(engine.getCommit(repository, ref)));
    }

    private void log(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        String branch = Inputs.branchName(request.pathParam("branch"), "branch");
        Paging paging = Paging.of(request, Paging.MAX_PER_PAGE);
        Branch head = engine.getBranch(repository, branch);
        response.json(200, Wire.page(engine.log(repository, head.commitId(), false, paging.after(), paging.amount()),
                Wire::commit));
    }
}
