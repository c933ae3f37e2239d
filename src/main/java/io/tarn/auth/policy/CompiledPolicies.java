package io.tarn.auth.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One user's effective policies made ready for the decisions of many requests: the same answers as
 * {@link PolicyEvaluator#evaluate} over the same policies, without walking every statement of every
 * policy on each request.
 *
 * <p>For each action a request asks for (the first time it asks), the statements whose actions match
 * it are kept, split into allowing and denying resource patterns, with {@code ${user}} already replaced
 * by the user's id; a pattern {@code *} becomes a flag and a pattern without wildcards a set member,
 * so the common policies ({@code fs:Read*} on {@code *}) decide by one map lookup. The per-action
 * entries are bounded by the number of actions requests name (the access tables' actions).
 *
 * <p>Immutable in what it answers: a change of the user's policies needs a new instance (the
 * directory forgets the old one).
 */
public final class CompiledPolicies {
    private final String userId;
    private final List<Policy> policies;
    private final ConcurrentHashMap<String, ActionRules> byAction = new ConcurrentHashMap<>();

    private CompiledPolicies(String userId, List<Policy> policies) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.policies = List.copyOf(policies);
    }

    public static CompiledPolicies of(String userId, List<Policy> policies) {
        return new CompiledPolicies(userId, policies);
    }

    /** The policies this was made from. */
    public List<Policy> policies() {
        return policies;
    }

    public String userId() {
        return userId;
    }

    /** The decision for a request needing every one of {@code required} (as {@link PolicyEvaluator#evaluate}). */
    public Decision decide(List<Permission> required) {
        for (int i = 0, n = required.size(); i < n; i++) {
            Permission permission = required.get(i);
            ActionRules rules = rules(permission.action());
            if (rules.deny.matches(permission.resource())) {
                return new Decision.Denied(permission, true);
            }
            if (!rules.allow.matches(permission.resource())) {
                return new Decision.Denied(permission, false);
            }
        }
        return Decision.ALLOWED;
    }

    private ActionRules rules(String action) {
        ActionRules rules = byAction.get(action);
        return rules != null ? rules : byAction.computeIfAbsent(action, this::compile);
    }

    private ActionRules compile(String action) {
        Patterns.Builder allow = new Patterns.Builder();
        Patterns.Builder deny = new Patterns.Builder();
        for (Policy policy : policies) {
            for (Statement statement : policy.statements()) {
                if (statement.coversAction(action)) {
                    (statement.effect() == Effect.DENY ? deny : allow).add(statement.resourceFor(userId));
                }
            }
        }
        return new ActionRules(allow.build(), deny.build());
    }

    /** The resources one action is allowed on and denied on. */
    private record ActionRules(Patterns allow, Patterns deny) {}

    /** Resource patterns: any resource ({@code *}), exact names, and patterns with wildcards. */
    private record Patterns(boolean any, Set<String> exact, String[] wildcards) {
        static final Patterns NONE = new Patterns(false, Set.of(), new String[0]);

        boolean matches(String resource) {
            if (any) {
                return true;
            }
            if (!exact.isEmpty() && exact.contains(resource)) {
                return true;
            }
            for (String pattern : wildcards) {
                if (Wildcards.matches(pattern, resource)) {
                    return true;
                }
            }
            return false;
        }

        static final class Builder {
            private boolean any;
            private final Set<String> exact = new HashSet<>();
            private final List<String> wildcards = new ArrayList<>();

            void add(String pattern) {
                if (pattern.equals(Arns.ALL)) {
                    any = true;
                } else if (Wildcards.hasWildcard(pattern)) {
                    wildcards.add(pattern);
                } else {
                    exact.add(pattern);
                }
            }

            Patterns build() {
                if (any) {
                    return new Patterns(true, Set.of(), new String[0]);
                }
                if (exact.isEmpty() && wildcards.isEmpty()) {
                    return NONE;
                }
                return new Patterns(false, Set.copyOf(exact), wildcards.toArray(String[]::new));
            }
        }
    }
}
