package io.tarn.engine.model;

import java.util.Map;

/** What the caller says about a new commit. */
public record CommitRequest(String message, String committer, Map<String, String> metadata,
                            boolean allowEmpty) {
    public CommitRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
