package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.ErrorMapper;
import io.tarn.api.http.MalformedBodyException;
import io.tarn.block.InvalidNamespaceException;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

/** The classic API's error mapping: its domain statuses, over the generic JSON error handling. */
class ClassicErrorsTest {

    private static void assertMaps(Throwable failure, int status, String message) {
        ErrorMapper.ErrorResponse response = ClassicErrors.MAPPER.map(failure);
        assertThat(response.status()).as(failure.getClass().getSimpleName()).isEqualTo(status);
        assertThat(response.body()).containsEntry("message", message);
    }

    @Test
    void everyDomainErrorHasItsStatus() {
        assertMaps(new NotFoundException(NotFoundException.Kind.BRANCH, "b"), 404, "branch not found: b");
        assertMaps(new AlreadyExistsException("repository exists"), 409, "repository exists");
        assertMaps(new InvalidArgumentException("bad name"), 400, "bad name");
        assertMaps(new NothingToCommitException("main"), 400, "no changes to commit on branch main");
        assertMaps(new NothingToMergeException("a", "b"), 400, new NothingToMergeException("a", "b").getMessage());
        assertMaps(new DirtyBranchException("main"), 400, "branch main has uncommitted changes");
        assertMaps(new AmbiguousRefException("abc123"), 400, "ambiguous ref: abc123");
        assertMaps(new DefaultBranchException("main"), 400, "cannot delete the default branch main");
        assertMaps(new TooManyRetriesException("busy"), 503, "busy");
        assertMaps(new io.tarn.error.UnauthenticatedException("not set up"), 401, "not set up");
        assertMaps(new io.tarn.error.AccessDeniedException("user u is not allowed fs:ReadObject on *"), 401,
                "user u is not allowed fs:ReadObject on *");
        assertMaps(new InvalidNamespaceException("bad namespace"), 400, "bad namespace");
        assertMaps(new ApiException(401, "who are you"), 401, "who are you");
        assertMaps(ApiException.badRequest("nope"), 400, "nope");
    }

    @Test
    void everyTarnExceptionSubclassIsCovered() {
        // The sealed hierarchy: if a subclass is added, the switch in ClassicErrors stops compiling;
        // this lists the ones tested above so that a new one shows up here too.
        assertThat(TarnException.class.getPermittedSubclasses()).hasSize(12);
    }

    @Test
    void mergeConflictListsPathsAndSummary() {
        ErrorMapper.ErrorResponse response = ClassicErrors.MAPPER.map(new MergeConflictException(List.of("a.csv", "b/c"), 1234));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.body().get("results")).isEqualTo(List.of(
                Map.of("path", "a.csv", "path_type", "object", "type", "conflict"),
                Map.of("path", "b/c", "path_type", "object", "type", "conflict")));
        assertThat(response.body().get("summary")).isEqualTo(
                Map.of("added", 0, "removed", 0, "changed", 0, "conflict", 1234L));
        assertThat((String) response.body().get("message")).contains("1234");
    }

    @Test
    void unexpectedFailuresAreInternalWithoutDetails() {
        assertMaps(new IllegalStateException("secret detail"), 500, "internal server error");
        assertMaps(new NullPointerException(), 500, "internal server error");
        assertMaps(new UncheckedIOException(new IOException("disk on fire")), 500, "internal server error");
    }

    @Test
    void malformedBodiesAreClientErrorsWhereverTheyAreWrapped() {
        MalformedBodyException cut = new MalformedBodyException("request body ended early");
        assertMaps(cut, 400, "request body ended early");
        assertMaps(new UncheckedIOException(cut), 400, "request body ended early");
        assertMaps(new RuntimeException("engine wrapper", new IOException("block store", cut)), 400,
                "request body ended early");
        assertMaps(new BadMessageException(400, "Bad URI"), 400, "Bad URI");
        assertMaps(new RuntimeException(new NotFoundException(NotFoundException.Kind.OBJECT, "x")), 404,
                "object not found: x");
    }
}
