package io.tarn.auth;

import java.util.Objects;

/**
 * Who a request acts as, once an {@link Authenticator} accepted its credentials. Today the user id;
 * groups and policies join it with access control, so handlers and the access log take a principal,
 * never a bare string.
 */
public record Principal(String userId) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
    }
}
