package io.tarn.auth.policy;

import java.util.Objects;

/** One thing a request needs: an action (e.g. {@code fs:ReadObject}) on a resource (an ARN, or {@code *}). */
public record Permission(String action, String resource) {
    public Permission {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
    }

    @Override
    public String toString() {
        return action + " on " + resource;
    }
}
