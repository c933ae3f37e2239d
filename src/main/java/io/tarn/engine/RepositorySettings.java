package io.tarn.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.engine.model.GcRules;
import io.tarn.engine.model.RetentionPolicy;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.refs.Names;
import io.tarn.error.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Repository settings in the KV store ({@code settings/<repo>/gc_rules} and {@code .../retention}, as
 * JSON): the garbage-collection rules of the current API and the retention policy of the 2020 one.
 * Setting them checks the repository (404), non-negative days and that every named branch exists (400).
 */
final class RepositorySettings {
    static final String GC_RULES = "gc_rules";
    static final String RETENTION = "retention";

    private final EngineContext ctx;
    private final ObjectMapper json = new ObjectMapper();

    RepositorySettings(EngineContext ctx) {
        this.ctx = ctx;
    }

    Optional<GcRules> gcRules(String repository) {
        ctx.repo(repository);
        return ctx.kv.get(KeyLayout.setting(repository, GC_RULES)).map(this::decodeRules);
    }

    void setGcRules(String repository, GcRules rules) {
        ctx.repo(repository);
        if (rules == null) {
            throw new InvalidArgumentException("gc rules are missing");
        }
        if (rules.defaultRetentionDays() < 0) {
            throw new InvalidArgumentException("default_retention_days must not be negative, got "
                    + rules.defaultRetentionDays());
        }
        Set<String> seen = new HashSet<>();
        for (GcRules.BranchRetention b : rules.branches()) {
            if (b.branchId() == null || b.branchId().isEmpty()) {
                throw new InvalidArgumentException("branches[].branch_id is required");
            }
            if (b.retentionDays() < 0) {
                throw new InvalidArgumentException("retention_days of branch " + b.branchId()
                        + " must not be negative, got " + b.retentionDays());
            }
            if (!seen.add(b.branchId())) {
                throw new InvalidArgumentException("branch " + b.branchId() + " has more than one rule");
            }
            if (!Names.isBranchName(b.branchId()) || ctx.meta.branch(repository, b.branchId()).isEmpty()) {
                throw new InvalidArgumentException("unknown branch in gc rules: " + b.branchId());
            }
        }
        ctx.kv.put(KeyLayout.setting(repository, GC_RULES), encodeRules(rules));
    }

    /** Removes the rules; false when there were none. */
    boolean deleteGcRules(String repository) {
        ctx.repo(repository);
        byte[] key = KeyLayout.setting(repository, GC_RULES);
        boolean had = ctx.kv.get(key).isPresent();
        ctx.kv.delete(key);
        return had;
    }

    Optional<RetentionPolicy> retentionPolicy(String repository) {
        ctx.repo(repository);
        return ctx.kv.get(KeyLayout.setting(repository, RETENTION)).map(this::decodePolicy);
    }

    void setRetentionPolicy(String repository, RetentionPolicy policy) {
        ctx.repo(repository);
        if (policy == null || policy.rules().isEmpty()) {
            throw new InvalidArgumentException("a retention policy needs at least one rule");
        }
        for (RetentionPolicy.Rule r : policy.rules()) {
            if (r.all() == null && r.uncommitted() == null && r.noncurrent() == null) {
                throw new InvalidArgumentException("every rule needs an expiration: all, uncommitted or noncurrent");
            }
            for (RetentionPolicy.Period p : new RetentionPolicy.Period[] {r.all(), r.uncommitted(), r.noncurrent()}) {
                if (p == null) {
                    continue;
                }
                if (p.weeks() == null && p.days() == null) {
                    throw new InvalidArgumentException("a time period needs weeks or days");
                }
                if ((p.weeks() != null && p.weeks() < 0) || (p.days() != null && p.days() < 0)) {
                    throw new InvalidArgumentException("weeks and days of a time period must not be negative");
                }
            }
        }
        ctx.kv.put(KeyLayout.setting(repository, RETENTION), encodePolicy(policy));
    }

    /** The rules the collector applies: the GC rules, else those the 2020 policy implies; empty = keep every commit. */
    Optional<GcRules> effectiveRules(String repository) {
        Optional<GcRules> rules = gcRules(repository);
        return rules.isPresent() ? rules : retentionPolicy(repository).flatMap(RetentionPolicy::asGcRules);
    }

    // ---- encoding ----

    private byte[] encodeRules(GcRules rules) {
        ObjectNode root = json.createObjectNode();
        root.put("default_retention_days", rules.defaultRetentionDays());
        ArrayNode branches = root.putArray("branches");
        for (GcRules.BranchRetention b : rules.branches()) {
            branches.addObject().put("branch_id", b.branchId()).put("retention_days", b.retentionDays());
        }
        return write(root);
    }

    private GcRules decodeRules(byte[] bytes) {
        JsonNode root = read(bytes);
        List<GcRules.BranchRetention> branches = new ArrayList<>();
        for (JsonNode b : root.path("branches")) {
            branches.add(new GcRules.BranchRetention(b.path("branch_id").asText(), b.path("retention_days").asInt()));
        }
        return new GcRules(root.path("default_retention_days").asInt(), branches);
    }

    private byte[] encodePolicy(RetentionPolicy policy) {
        ObjectNode root = json.createObjectNode();
        if (policy.description() != null) {
            root.put("description", policy.description());
        }
        root.put("creation_date", policy.creationDate());
        ArrayNode rules = root.putArray("rules");
        for (RetentionPolicy.Rule r : policy.rules()) {
            ObjectNode n = rules.addObject();
            n.put("enabled", r.enabled());
            n.put("prefix", r.prefix() == null ? "" : r.prefix());
            period(n, "all", r.all());
            period(n, "uncommitted", r.uncommitted());
            period(n, "noncurrent", r.noncurrent());
        }
        return write(root);
    }

    private static void period(ObjectNode n, String name, RetentionPolicy.Period p) {
        if (p == null) {
            return;
        }
        ObjectNode o = n.putObject(name);
        if (p.weeks() != null) {
            o.put("weeks", p.weeks());
        }
        if (p.days() != null) {
            o.put("days", p.days());
        }
    }

    private static RetentionPolicy.Period period(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        return new RetentionPolicy.Period(n.has("weeks") ? n.get("weeks").asInt() : null,
                n.has("days") ? n.get("days").asInt() : null);
    }

    private RetentionPolicy decodePolicy(byte[] bytes) {
        JsonNode root = read(bytes);
        List<RetentionPolicy.Rule> rules = new ArrayList<>();
        for (JsonNode r : root.path("rules")) {
            rules.add(new RetentionPolicy.Rule(r.path("enabled").asBoolean(), r.path("prefix").asText(""),
                    period(r.get("all")), period(r.get("uncommitted")), period(r.get("noncurrent"))));
        }
        return new RetentionPolicy(root.hasNonNull("description") ? root.get("description").asText() : null, rules,
                root.path("creation_date").asLong());
    }

    private byte[] write(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt repository setting", e);
        }
    }
}
