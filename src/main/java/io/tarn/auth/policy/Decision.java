package io.tarn.auth.policy;

/** The outcome of an authorization: allowed, or denied with the permission that failed and why. */
public sealed interface Decision {
    Decision ALLOWED = new Allowed();

    record Allowed() implements Decision {}

    /** @param explicit true when a deny statement matched, false when no statement allowed it */
    record Denied(Permission permission, boolean explicit) implements Decision {
        public String message(String userId) {
            return "user " + userId + " is not allowed " + permission.action() + " on " + permission.resource()
                    + (explicit ? " (a policy denies it)" : " (no policy allows it)");
        }
    }

    default boolean allowed() {
        return this instanceof Allowed;
    }
}
