package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ImportSource;
import io.tarn.engine.model.ImportStatus;
import io.tarn.error.InvalidArgumentException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tag {@code import}: zero-copy imports from the block store into a branch, as one commit. */
final class ImportOperations {
    /** The most source paths one import takes. */
    static final int MAX_PATHS = 1000;

    private final Engine engine;

    ImportOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("importStart", this::start)
                .add("importStatus", this::status)
                .add("importCancel", this::cancel);
    }

    /** 202 {@code {id}}: the sources are checked now, the listing and the commit run in the background. */
    private void start(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        JsonBody body = JsonBody.required(request, "ImportCreation");
        List<JsonBody> paths = body.requiredObjectList("paths", MAX_PATHS);
        if (paths.isEmpty()) {
            throw new InvalidArgumentException("ImportCreation.paths must not be empty");
        }
        List<ImportSource> sources = new ArrayList<>();
        for (JsonBody p : paths) {
            String type = p.requiredString("type");
            ImportSource.Kind kind = switch (type) {
                case "object" -> ImportSource.Kind.OBJECT;
                case "common_prefix" -> ImportSource.Kind.PREFIX;
                default -> throw new InvalidArgumentException(
                        "ImportLocation.type must be object or common_prefix: " + Inputs.quote(type));
            };
            String destination = p.requiredString("destination");
            if (kind == ImportSource.Kind.OBJECT) {
                Inputs.objectPath(destination, "ImportLocation.destination");
            } else {
                Inputs.pathPrefix(destination, "ImportLocation.destination");
            }
            sources.add(new ImportSource(kind, p.requiredString("path"), destination));
        }
        JsonBody commit = body.optionalObject("commit");
        if (commit == null) {
            throw new InvalidArgumentException("ImportCreation.commit is required");
        }
        String message = Inputs.commitMessage(commit, "message");
        Long date = commit.optionalLong("date");
        if (date != null && date < 0) {
            throw new InvalidArgumentException("ImportCreation.commit.date must not be negative");
        }
        body.optionalBoolean("force", false);
        ImportStatus started = engine.startImport(repository, branch, sources, new CommitRequest(message,
                request.user().orElse(""), commit.stringMap("metadata"), true, date));
        response.json(202, Map.of("id", started.id()));
    }

    private void status(ApiRequest request, ApiResponse response) {
        ImportStatus s = engine.importStatus(Requests.repository(request), Requests.branch(request), id(request));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("completed", s.completed());
        out.put("update_time", Instant.ofEpochMilli(s.updateTime()).toString());
        out.put("ingested_objects", s.ingested());
        if (s.commit() != null) {
            out.put("metarange_id", s.commit().treeId());
            out.put("commit", CurrentWire.commit(s.commit()));
        }
        if (s.error() != null) {
            out.put("error", Map.of("message", s.error()));
        }
        response.json(200, out);
    }

    /** 204 once asked to stop; 409 when the import had already completed or failed. */
    private void cancel(ApiRequest request, ApiResponse response) {
        String id = id(request);
        if (!engine.cancelImport(Requests.repository(request), Requests.branch(request), id)) {
            throw new ApiException(409, "import " + id + " already ended");
        }
        response.empty(204);
    }

    private static String id(ApiRequest request) {
        String id = Requests.requiredQuery(request, "id");
        if (!id.matches("[0-9a-f]{1,64}")) {
            throw new InvalidArgumentException("id must be an import id as importStart answered it: " + Inputs.quote(id));
        }
        return id;
    }
}
