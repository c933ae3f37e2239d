package io.tarn.auth.policy;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a policy: an effect, the actions it covers (wildcards allowed) and the resource
 * (an ARN, wildcards and {@code ${user}} allowed).
 */
public record Statement(Effect effect, List<String> actions, String resource) {
    /** The placeholder lakeFS replaces with the id of the user being authorized. */
    public static final String USER_PLACEHOLDER = "${user}";

    public Statement {
        Objects.requireNonNull(effect, "effect");
        actions = List.copyOf(actions);
        Objects.requireNonNull(resource, "resource");
    }

    /** True if this statement speaks about {@code permission} for user {@code userId}. */
    boolean covers(Permission permission, String userId) {
        return Wildcards.matches(resourceFor(userId), permission.resource()) && coversAction(permission.action());
    }

    /** True if one of the statement's actions (patterns) matches {@code action}. */
    boolean coversAction(String action) {
        for (String pattern : actions) {
            if (Wildcards.matches(pattern, action)) {
                return true;
            }
        }
        return false;
    }

    /** The resource pattern for user {@code userId} ({@code ${user}} replaced by the id). */
    String resourceFor(String userId) {
        return resource.contains(USER_PLACEHOLDER) ? resource.replace(USER_PLACEHOLDER, userId) : resource;
    }
}
