package io.tarn.api.current;

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
import io.tarn.engine.model.Page;
import io.tarn.engine.model.ResetScope;
import io.tarn.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
                .add("resetBranch", this::reset)
                .add("revertBranch", this::revert)
                .add("cherryPick", this::cherryPick)
                .add("hardResetBranch", this::hardReset)
                .add("diffBranch", this::diff);
    }

    static CurrentWire.RefJson ref(Branch branch) {
        return new CurrentWire.RefJson(branch.name(), branch.commitId());
    }

    private void list(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        Paging paging = Requests.paging(request);
        String prefix = Requests.prefix(request);
        Page<Branch> page = Listings.filtered((after, amount) -> engine.listBranches(repository, after, amount),
                Branch::name, prefix, branch -> true, paging.after(), paging.amount());
        response.json(200, CurrentWire.page(page, BranchOperations::ref));
    }

    /** 201 with the new branch's commit id as a bare {@code text/html} body, as lakeFS answers. */
    private void create(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        JsonBody body = JsonBody.required(request, "BranchCreation");
        String name = Inputs.branchName(body.requiredString("name"), "name");
        String source = Inputs.ref(body.requiredString("source"), "source");
        body.optionalBoolean("hidden", false); // accepted, but every branch is listed (docs/current-api.md)
        Branch created = engine.createBranch(repository, name, source);
        byte[] id = created.commitId().getBytes(StandardCharsets.UTF_8);
        response.stream(201, "text/html", id.length, new ByteArrayInputStream(id));
    }

    private void get(ApiRequest request, ApiResponse response) {
        response.json(200, ref(engine.getBranch(Requests.repository(request), Requests.branch(request))));
    }

    private void delete(ApiRequest request, ApiResponse response) {
        engine.deleteBranch(Requests.repository(request), Requests.branch(request));
        response.empty(204);
    }

    private void reset(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        JsonBody body = JsonBody.required(request, "ResetCreation");
        String type = body.requiredString("type");
        ResetScope scope = switch (type) {
            case "reset" -> new ResetScope.All();
            case "object" -> Inputs.objectScope(body.optionalString("path"), "path");
            case "common_prefix" -> Inputs.prefixScope(body.optionalString("path"), "path");
            default -> throw new InvalidArgumentException(
                    "type must be one of object, common_prefix, reset: " + Inputs.quote(type));
        };
        engine.reset(repository, branch, scope);
        response.empty(204);
    }

    private void revert(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        JsonBody body = JsonBody.required(request, "RevertCreation");
        String ref = Inputs.ref(body.requiredString("ref"), "ref");
        Integer parent = body.optionalInt("parent_number");
        if (parent == null) {
            throw new InvalidArgumentException("parent_number is required");
        }
        Commit reverted = engine.getCommit(repository, ref);
        engine.revert(repository, branch, reverted.id(), parentNumber(parent, reverted, "revert"),
                commitRequest(request, body, body.optionalBoolean("allow_empty", false)));
        response.empty(204);
    }

    /**
     * Applies a commit's changes (relative to its parent {@code parent_number}, required for a merge
     * commit) to the branch: 201 with the new commit; its message and metadata are the picked commit's
     * unless {@code commit_overrides} gives others.
     */
    private void cherryPick(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        JsonBody body = JsonBody.required(request, "CherryPickCreation");
        String ref = Inputs.ref(body.requiredString("ref"), "ref");
        Integer parent = body.optionalInt("parent_number");
        Commit picked = engine.getCommit(repository, ref);
        Commit created = engine.cherryPick(repository, branch, picked.id(),
                parentNumber(parent == null ? 0 : parent, picked, "cherry-pick"), commitRequest(request, body, false));
        response.json(201, CurrentWire.commit(created));
    }

    /** Points the branch at a ref (query {@code ref}); the branch must have no uncommitted changes. */
    private void hardReset(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String ref = Inputs.ref(Requests.requiredQuery(request, "ref"), "ref");
        Requests.bool(request, "force", false);
        engine.hardReset(repository, branch, ref);
        response.empty(204);
    }

    /**
     * lakeFS's parent number (1-based) as the engine takes it: 0 (or left out) names the only parent
     * of a plain commit, and is refused for a merge commit, which needs 1 or 2.
     */
    private static int parentNumber(int given, Commit commit, String what) {
        if (given < 0) {
            throw new InvalidArgumentException("parent_number must not be negative");
        }
        if (given == 0 && commit.parents().size() > 1) {
            throw new InvalidArgumentException("parent_number is required to " + what + " a merge commit (1 or "
                    + commit.parents().size() + ")");
        }
        return Math.max(given, 1);
    }

    /** The new commit's message and metadata from {@code commit_overrides} (empty = the engine's default). */
    private static CommitRequest commitRequest(ApiRequest request, JsonBody body, boolean allowEmpty) {
        String message = null;
        Map<String, String> metadata = Map.of();
        JsonBody overrides = body.optionalObject("commit_overrides");
        if (overrides != null) {
            String overridden = overrides.optionalString("message");
            if (overridden != null && !overridden.isBlank()) {
                message = overridden;
            }
            metadata = overrides.stringMap("metadata");
        }
        return new CommitRequest(message, request.user().orElse(""), metadata, allowEmpty);
    }

    private void diff(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        Paging paging = Requests.paging(request);
        Page<Listings.DiffItem> page = Listings.diff((after, amount) -> engine.diffBranch(repository, branch, after, amount),
                Requests.prefix(request), Requests.delimiter(request), paging.after(), paging.amount());
        response.json(200, CurrentWire.page(page, RefOperations::diffItem));
    }
}
