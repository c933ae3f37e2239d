package io.tarn.engine.model;

/** Which uncommitted changes of a branch to drop. */
public sealed interface ResetScope {
    record All() implements ResetScope {}

    record Path(String path) implements ResetScope {}

    record Prefix(String prefix) implements ResetScope {}
}
