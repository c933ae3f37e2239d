package io.tarn.api.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.MalformedBodyException;
import io.tarn.api.s3.sig.PayloadException;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.error.TooManyRetriesException;
import io.tarn.error.UnauthenticatedException;
import org.junit.jupiter.api.Test;

/** Domain errors and failures in S3's words: status and code. */
class S3ErrorsTest {
    private static void assertMapped(Throwable failure, int status, String code) {
        S3Error error = S3Errors.map(failure);
        assertThat(error.status()).as(failure.toString()).isEqualTo(status);
        assertThat(error.code()).as(failure.toString()).isEqualTo(code);
    }

    @Test
    void notFoundByKind() {
        assertMapped(new NotFoundException(NotFoundException.Kind.REPOSITORY, "r"), 404, "NoSuchBucket");
        for (NotFoundException.Kind kind : new NotFoundException.Kind[] {NotFoundException.Kind.OBJECT,
            NotFoundException.Kind.BRANCH, NotFoundException.Kind.TAG, NotFoundException.Kind.REF,
            NotFoundException.Kind.COMMIT}) {
            assertMapped(new NotFoundException(kind, "x"), 404, "NoSuchKey");
        }
        assertMapped(new NotFoundException(NotFoundException.Kind.UPLOAD, "u"), 404, "NoSuchUpload");
        assertMapped(new NotFoundException(NotFoundException.Kind.CREDENTIALS, "AKIA"), 403, "InvalidAccessKeyId");
    }

    @Test
    void otherDomainErrors() {
        assertMapped(new InvalidArgumentException("bad"), 400, "InvalidArgument");
        assertMapped(new AlreadyExistsException("there"), 409, "OperationAborted");
        assertMapped(new UnauthenticatedException("set up first"), 403, "AccessDenied");
        assertMapped(new io.tarn.error.AccessDeniedException("user u is not allowed fs:WriteObject on x"), 403,
                "AccessDenied");
        assertMapped(new TooManyRetriesException("busy"), 503, "SlowDown");
    }

    @Test
    void failuresOfTheRequestAndTheServer() {
        assertMapped(new PayloadException(new S3Error(400, "BadDigest", "crc")), 400, "BadDigest");
        assertMapped(new MalformedBodyException("cut"), 400, "IncompleteBody");
        assertMapped(new ApiException(405, "no"), 405, "MethodNotAllowed");
        S3Error internal = S3Errors.map(new IllegalStateException("secret detail"));
        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.code()).isEqualTo("InternalError");
        assertThat(internal.getMessage()).doesNotContain("secret detail");
    }

    @Test
    void xmlEscaping() {
        StringBuilder out = new StringBuilder();
        S3Errors.escape(out, "<a & 'b'> \"c\"\u0001");
        assertThat(out).hasToString("&lt;a &amp; &apos;b&apos;&gt; &quot;c&quot;?");
    }
}
