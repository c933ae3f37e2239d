package io.tarn.engine.model;

import java.util.Map;

/** A merge's options; a {@code null} message gets the default "Merge 'src' into 'dst'". */
public record MergeRequest(String message, String committer, Map<String, String> metadata,
                           MergeStrategy strategy) {
    public MergeRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        strategy = strategy == null ? MergeStrategy.NONE : strategy;
    }
}
