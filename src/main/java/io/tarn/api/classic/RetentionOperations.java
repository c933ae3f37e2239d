package io.tarn.api.classic;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.RetentionPolicy;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tag {@code retention}: the 2020 retention policy of a repository ({@code retention_policy}). The
 * garbage collector applies its enabled whole-repository rules (docs/gc.md).
 */
final class RetentionOperations {
    private final Engine engine;

    RetentionOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("getRetentionPolicy", this::get)
                .add("updateRetentionPolicy", this::update);
    }

    private void get(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        RetentionPolicy policy = engine.getRetentionPolicy(repository)
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.RETENTION_POLICY, repository));
        Map<String, Object> body = new LinkedHashMap<>();
        if (policy.description() != null) {
            body.put("description", policy.description());
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (RetentionPolicy.Rule r : policy.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("status", r.enabled() ? "enabled" : "disabled");
            rule.put("filter", r.prefix() == null || r.prefix().isEmpty() ? Map.of() : Map.of("prefix", r.prefix()));
            Map<String, Object> expiration = new LinkedHashMap<>();
            period(expiration, "all", r.all());
            period(expiration, "uncommitted", r.uncommitted());
            period(expiration, "noncurrent", r.noncurrent());
            rule.put("expiration", expiration);
            rules.add(rule);
        }
        body.put("rules", rules);
        body.put("creation_date", Instant.ofEpochMilli(policy.creationDate()).toString());
        response.json(200, body);
    }

    private static void period(Map<String, Object> out, String name, RetentionPolicy.Period p) {
        if (p == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.weeks() != null) {
            m.put("weeks", p.weeks());
        }
        if (p.days() != null) {
            m.put("days", p.days());
        }
        out.put(name, m);
    }

    private void update(ApiRequest request, ApiResponse response) {
        String repository = Inputs.repositoryId(request.pathParam("repository"), "repository");
        engine.getRepository(repository);
        JsonBody body = JsonBody.required(request, "policy");
        String description = body.optionalString("description");
        List<RetentionPolicy.Rule> rules = new ArrayList<>();
        for (JsonBody r : body.requiredObjectList("rules")) {
            String status = r.requiredString("status");
            if (!status.equals("enabled") && !status.equals("disabled")) {
                throw new InvalidArgumentException("status must be enabled or disabled, not " + Inputs.quote(status));
            }
            JsonBody filter = r.optionalObject("filter");
            if (filter == null) {
                throw new InvalidArgumentException("filter is required");
            }
            String prefix = filter.optionalString("prefix");
            JsonBody expiration = r.optionalObject("expiration");
            if (expiration == null) {
                throw new InvalidArgumentException("expiration is required: all, uncommitted or noncurrent");
            }
            rules.add(new RetentionPolicy.Rule(status.equals("enabled"), prefix == null ? "" : prefix,
                    period(expiration, "all"), period(expiration, "uncommitted"), period(expiration, "noncurrent")));
        }
        engine.setRetentionPolicy(repository, new RetentionPolicy(description, rules, System.currentTimeMillis()));
        response.empty(201);
    }

    private static RetentionPolicy.Period period(JsonBody expiration, String field) {
        JsonBody p = expiration.optionalObject(field);
        return p == null ? null : new RetentionPolicy.Period(p.optionalInt("weeks"), p.optionalInt("days"));
    }
}
