package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.common.Paging;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.LogFilter;
import io.tarn.engine.model.Page;
import io.tarn.error.InvalidArgumentException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Tag {@code commits} (commit, getCommit) and the commit log of tag {@code refs}. */
final class CommitOperations {
    private final Engine engine;

    CommitOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("commit", this::commit)
                .add("getCommit", this::get)
                .add("logCommits", this::log);
    }

    private void commit(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        if (request.query("source_metarange").filter(s -> !s.isEmpty()).isPresent()) {
            throw Requests.notImplemented("committing a given meta range (source_metarange)");
        }
        JsonBody body = JsonBody.required(request, "CommitCreation");
        String message = Inputs.commitMessage(body, "message");
        Long date = body.optionalLong("date");
        if (date != null && date < 0) {
            throw new InvalidArgumentException("CommitCreation.date must be Unix epoch seconds, not negative: " + date);
        }
        Commit commit = engine.commit(repository, branch, new CommitRequest(message, request.user().orElse(""),
                body.stringMap("metadata"), body.optionalBoolean("allow_empty", false), date));
        response.json(201, CurrentWire.commit(commit));
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String ref = Inputs.ref(request.pathParam("commitId"), "commitId");
        response.json(200, CurrentWire.commit(engine.getCommit(repository, ref)));
    }

    /**
     * The log of a ref: {@code first_parent}, {@code limit} (one page only), {@code since} (stop at the
     * first older commit), {@code stop_at} (stop after that commit), and {@code objects} /
     * {@code prefixes}: only commits that changed one of those paths or something under one of those
     * prefixes (compared with their first parent), filtered by the engine.
     */
    private void log(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String ref = Inputs.ref(request.pathParam("ref"), "ref");
        List<String> objects = paths(request, "objects", false);
        List<String> prefixes = paths(request, "prefixes", true);
        Paging paging = Requests.paging(request);
        boolean firstParent = Requests.bool(request, "first_parent", false);
        boolean limit = Requests.bool(request, "limit", false);
        Long since = request.query("since").filter(s -> !s.isEmpty()).map(CommitOperations::epochSeconds).orElse(null);
        String stopAt = request.query("stop_at").filter(s -> !s.isEmpty()).map(s -> Inputs.ref(s, "stop_at"))
                .map(s -> engine.getCommit(repository, s).id()).orElse(null);
        Page<Commit> page = engine.log(repository, ref, new LogFilter(firstParent, objects, prefixes),
                paging.after(), paging.amount());
        List<Commit> kept = new ArrayList<>();
        boolean stopped = false;
        for (Commit commit : page.items()) {
            if (since != null && commit.creationDate() < since) {
                stopped = true;
                break;
            }
            kept.add(commit);
            if (commit.id().equals(stopAt)) {
                stopped = true;
                break;
            }
        }
        boolean more = page.hasMore() && !stopped && !limit;
        Page<Commit> out = new Page<>(kept, more, more && !kept.isEmpty() ? kept.getLast().id() : null);
        response.json(200, CurrentWire.page(out, CurrentWire::commit));
    }

    /** The values of an array query parameter (repeated, as the SDKs send it), checked as paths. */
    private static List<String> paths(ApiRequest request, String name, boolean prefixes) {
        List<String> out = new ArrayList<>();
        for (String path : request.queryAll(name)) {
            if (!path.isEmpty()) {
                out.add(prefixes ? Inputs.pathPrefix(path, name) : Inputs.objectPath(path, name));
            }
        }
        if (out.size() > 1000) {
            throw new InvalidArgumentException(name + " lists more than 1000 paths");
        }
        return out;
    }

    private static long epochSeconds(String text) {
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).getEpochSecond();
            } catch (DateTimeParseException again) {
                throw new InvalidArgumentException("since must be a date-time such as 2024-01-31T12:00:00Z: "
                        + Inputs.quote(text));
            }
        }
    }
}
