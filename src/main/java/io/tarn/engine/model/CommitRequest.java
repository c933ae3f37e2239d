package io.tarn.engine.model;

import java.util.Map;

/**
 * What the caller says about a new commit.
 *
 * @param date the commit's creation date in epoch seconds, or {@code null} for the time of the commit
 *             (lakeFS's {@code date}: for commits that record when data was produced, not committed)
 */
public record CommitRequest(String message, String committer, Map<String, String> metadata,
                            boolean allowEmpty, Long date) {
    public CommitRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (date != null && date < 0) {
            throw new io.tarn.error.InvalidArgumentException("commit date must not be before 1970: " + date);
        }
    }

    /** A commit dated now. */
    public CommitRequest(String message, String committer, Map<String, String> metadata, boolean allowEmpty) {
        this(message, committer, metadata, allowEmpty, null);
    }

    /** The creation date to record: the requested one, else now. */
    public long creationDate() {
        return date != null ? date : java.time.Instant.now().getEpochSecond();
    }
}
