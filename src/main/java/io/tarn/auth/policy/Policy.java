package io.tarn.auth.policy;

import java.util.List;
import java.util.Objects;

/** A named policy: statements, evaluated together with every other policy of a user. */
public record Policy(String id, long creationDate, List<Statement> statements) {
    public Policy {
        Objects.requireNonNull(id, "id");
        statements = List.copyOf(statements);
    }
}
