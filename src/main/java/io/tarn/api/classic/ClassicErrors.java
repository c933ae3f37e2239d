package io.tarn.api.classic;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where the classic API maps domain errors to statuses and bodies. The statuses are the
 * ones its document declares (where lakeFS 2020 answered 500 for a client's mistake, Tarn answers
 * the 4xx; {@code docs/classic-api.md} lists those).
 */
final class ClassicErrors {
    private ClassicErrors() {}

    static final ErrorMapper MAPPER = new ErrorMapper(ClassicErrors::map);

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
            case DefaultBranchException e -> ErrorMapper.of(400, e.getMessage());
            case TooManyRetriesException e -> ErrorMapper.of(503, e.getMessage());
            case UnauthenticatedException e -> ErrorMapper.of(401, e.getMessage());
            case AccessDeniedException e -> ErrorMapper.of(401, e.getMessage());
        };
    }

    /** The 409 of mergeIntoBranch: the message, and the conflicting paths as a merge_result. */
    private static ErrorResponse mergeConflict(MergeConflictException e) {
        List<Map<String, Object>> results = new ArrayList<>(e.paths().size());
        for (String path : e.paths()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("path", path);
            result.put("path_type", "object");
            result.put("type", "conflict");
            results.add(result);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("added", 0);
        summary.put("removed", 0);
        summary.put("changed", 0);
        summary.put("conflict", e.total());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", e.getMessage());
        body.put("results", results);
        body.put("summary", summary);
        return new ErrorResponse(409, body);
    }
}
