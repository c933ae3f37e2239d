package io.tarn.api.s3;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.MalformedBodyException;
import io.tarn.api.s3.sig.PayloadException;
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
import io.tarn.api.http.Exchange;
import io.tarn.api.http.FrontDoor;
import java.nio.charset.StandardCharsets;

/**
 * The one place where failures on the S3 gateway become S3 error documents:
 * {@code <Error><Code/><Message/><Resource/><RequestId/></Error>} as {@code application/xml}, with
 * the request id also in {@code x-amz-request-id}. HEAD answers carry no body, as S3's do.
 */
final class S3Errors {
    static final String INTERNAL_MESSAGE = "We encountered an internal error. Please try again.";

    private S3Errors() {}

    static S3Error map(Throwable failure) {
        if (failure instanceof S3Error s3) {
            return s3;
        }
        if (failure instanceof PayloadException payload) {
            return payload.error();
        }
        if (failure instanceof TarnException domain) {
            return domain(domain);
        }
        if (failure instanceof MalformedBodyException) {
            return new S3Error(400, "IncompleteBody", "the request body ended early or could not be read");
        }
        if (failure instanceof ApiException api && api.status() < 500) {
            return new S3Error(api.status(), api.status() == 405 ? "MethodNotAllowed" : "InvalidRequest",
                    api.getMessage());
        }
        return new S3Error(500, "InternalError", INTERNAL_MESSAGE);
    }

    /** Tarn's domain errors in S3's words (operations that mean otherwise translate before this). */
    static S3Error domain(TarnException domain) {
        return switch (domain) {
            case NotFoundException e -> switch (e.kind()) {
                case REPOSITORY -> new S3Error(404, "NoSuchBucket", "The specified bucket does not exist: " + e.name());
                case UPLOAD -> new S3Error(404, "NoSuchUpload", "The specified multipart upload does not exist. The"
                        + " upload ID may be invalid, or the upload may have been aborted or completed.");
                case CREDENTIALS, USER -> new S3Error(403, "InvalidAccessKeyId",
                        "The AWS Access Key Id you provided does not exist in our records.");
                default -> new S3Error(404, "NoSuchKey", "The specified key does not exist (" + e.getMessage() + ")");
            };
            case InvalidArgumentException e -> new S3Error(400, "InvalidArgument", e.getMessage());
            case AlreadyExistsException e -> new S3Error(409, "OperationAborted", e.getMessage());
            case UnauthenticatedException e -> new S3Error(403, "AccessDenied", e.getMessage());
            case AccessDeniedException e -> new S3Error(403, "AccessDenied", "Access Denied (" + e.getMessage() + ")");
            case TooManyRetriesException e -> new S3Error(503, "SlowDown", "Please reduce your request rate. ("
                    + e.getMessage() + ")");
            case AmbiguousRefException e -> new S3Error(400, "InvalidArgument", e.getMessage());
            case MergeConflictException e -> new S3Error(409, "OperationAborted", e.getMessage());
            case NothingToCommitException e -> new S3Error(400, "InvalidRequest", e.getMessage());
            case NothingToMergeException e -> new S3Error(400, "InvalidRequest", e.getMessage());
            case DirtyBranchException e -> new S3Error(409, "OperationAborted", e.getMessage());
            case DefaultBranchException e -> new S3Error(400, "InvalidRequest", e.getMessage());
        };
    }

    /** Writes the error answer; returns its status. */
    static int answer(Exchange exchange, Throwable failure) {
        S3Error error = map(failure);
        exchange.responseHeader("x-amz-request-id", exchange.requestId());
        if (exchange.method().equals("HEAD")) {
            exchange.response().empty(error.status());
            return error.status();
        }
        StringBuilder xml = new StringBuilder(256);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>");
        escape(xml, error.code());
        xml.append("</Code><Message>");
        escape(xml, error.getMessage());
        xml.append("</Message><Resource>");
        escape(xml, FrontDoor.printable(exchange.rawPath()));
        xml.append("</Resource><RequestId>").append(exchange.requestId()).append("</RequestId></Error>");
        byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
        exchange.response().bytes(error.status(), "application/xml", body);
        return error.status();
    }

    /** XML character escaping; characters XML 1.0 cannot carry become '?'. */
    static void escape(StringBuilder out, String text) {
        if (text == null) {
            return;
        }
        int n = text.length();
        int run = 0; // the start of the characters not written yet, all plain: appended as one range
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (isPlain(c)) {
                continue;
            }
            out.append(text, run, i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append('?');
            }
            run = i + 1;
        }
        out.append(text, run, n);
    }

    /** A character {@link #escape} writes as it is. */
    private static boolean isPlain(char c) {
        return c >= 0x20 ? c != '<' && c != '>' && c != '&' && c != '"' && c != '\'' : c == '\t' || c == '\n' || c == '\r';
    }
}
