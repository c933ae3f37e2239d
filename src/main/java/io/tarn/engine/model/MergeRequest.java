package io.tarn.engine.model;

import java.util.Map;

/**
 * A merge's options; a {@code null} message gets the default "Merge 'src' into 'dst'".
 *
 * @param squash     record only the destination as parent (the source's history is not joined), as
 *                   {@code git merge --squash} followed by a commit
 * @param allowEmpty make a merge commit even when the merge changes nothing on the destination
 *                   (otherwise that is {@link io.tarn.error.NothingToMergeException})
 */
public record MergeRequest(String message, String committer, Map<String, String> metadata,
                           MergeStrategy strategy, boolean squash, boolean allowEmpty) {
    public MergeRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        strategy = strategy == null ? MergeStrategy.NONE : strategy;
    }

    /** A two-parent merge that commits even when nothing changes on the destination. */
    public MergeRequest(String message, String committer, Map<String, String> metadata, MergeStrategy strategy) {
        this(message, committer, metadata, strategy, false, true);
    }
}
