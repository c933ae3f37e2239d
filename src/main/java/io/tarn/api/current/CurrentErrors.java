package io.tarn.api.current;

import io.tarn.api.http.ErrorMapper;
import io.tarn.api.http.ErrorMapper.ErrorResponse;
import io.tarn.error.AccessDeniedException;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.AmbiguousRefException;
import io.tarn.error.DefaultBranchException;
import io.tarn.error.DirtyBranchException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.MergeConflictException;
import io.tarn.error.NotFoundException;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import io.tarn.error.TarnException;
import io.tarn.error.TooManyRetriesException;
import io.tarn.error.UnauthenticatedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where the current API maps domain errors to statuses, as lakeFS does today: not found
 * 404; deleting the default branch 403; a dirty branch, nothing to commit or merge, an invalid or
 * ambiguous ref or value 400; already exists and merge conflicts 409; too many tries 429.
 */
final class CurrentErrors {
    private CurrentErrors() {}

    static final ErrorMapper MAPPER = new ErrorMapper(CurrentErrors::map);

    static ErrorResponse map(TarnException domain) {
        return switch (domain) {
            case NotFoundException e -> ErrorMapper.of(404, e.getMessage());
            case AlreadyExistsException e -> ErrorMapper.of(409, e.getMessage());
            case InvalidArgumentException e -> ErrorMapper.of(400, e.getMessage());
            case MergeConflictException e -> mergeConflict(e);
            case NothingToCommitException e -> ErrorMapper.of(400, e.getMessage());
            case NothingToMergeException e -> ErrorMapper.of(400, e.getMessage());
            case DirtyBranchException e -> ErrorMapper.of(400, e.getMessage());
            case AmbiguousRefException e -> ErrorMapper.of(400, e.getMessage());
            case DefaultBranchException e -> ErrorMapper.of(403, e.getMessage());
            case TooManyRetriesException e -> ErrorMapper.of(429, e.getMessage());
            case UnauthenticatedException e -> ErrorMapper.of(401, e.getMessage());
            case AccessDeniedException e -> ErrorMapper.of(403, e.getMessage());
        };
    }

    /** The 409 of mergeIntoBranch: a {@code MergeResult} (no merge commit: empty reference) with the message. */
    private static ErrorResponse mergeConflict(MergeConflictException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", e.getMessage());
        body.put("reference", "");
        return new ErrorResponse(409, body);
    }
}
