package io.tarn.api.current;

import io.tarn.api.common.JsonBody;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.GcRules;
import io.tarn.error.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The garbage-collection rules of a repository ({@code GarbageCollectionRules}); docs/gc.md. */
final class GcRulesOperations {
    private final Engine engine;

    GcRulesOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("getGCRules", this::get)
                .add("setGCRules", this::set)
                .add("deleteGCRules", this::delete);
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        GcRules rules = engine.getGcRules(repository)
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.GC_RULES, repository));
        List<Map<String, Object>> branches = new ArrayList<>();
        for (GcRules.BranchRetention b : rules.branches()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("branch_id", b.branchId());
            m.put("retention_days", b.retentionDays());
            branches.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("default_retention_days", rules.defaultRetentionDays());
        body.put("branches", branches);
        response.json(200, body);
    }

    private void set(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        engine.getRepository(repository);
        JsonBody body = JsonBody.required(request, "GarbageCollectionRules");
        int defaultDays = body.requiredInt("default_retention_days");
        List<GcRules.BranchRetention> branches = new ArrayList<>();
        for (JsonBody b : body.requiredObjectList("branches")) {
            branches.add(new GcRules.BranchRetention(b.requiredString("branch_id"), b.requiredInt("retention_days")));
        }
        engine.setGcRules(repository, new GcRules(defaultDays, branches));
        response.empty(204);
    }

    private void delete(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        engine.deleteGcRules(repository);
        response.empty(204);
    }
}
