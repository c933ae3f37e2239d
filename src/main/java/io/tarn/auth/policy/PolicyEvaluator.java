package io.tarn.auth.policy;

import java.util.Collection;
import java.util.List;

/**
 * lakeFS's policy evaluation: a request needs every one of its permissions; a permission is granted
 * when some statement of the user's policies (attached to the user or to one of its groups) allows
 * its action on its resource and no statement denies it. Deny wins; no statement means deny.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {}

    public static Decision evaluate(Collection<Policy> policies, List<Permission> required, String userId) {
        for (Permission permission : required) {
            boolean allowed = false;
            for (Policy policy : policies) {
                for (Statement statement : policy.statements()) {
                    if (statement.covers(permission, userId)) {
                        if (statement.effect() == Effect.DENY) {
                            return new Decision.Denied(permission, true);
                        }
                        allowed = true;
                    }
                }
            }
            if (!allowed) {
                return new Decision.Denied(permission, false);
            }
        }
        return Decision.ALLOWED;
    }
}
