package io.tarn.api.http;

/**
 * One door of the server behind the front door: an API (classic, current, S3 gateway), the web UI,
 * or a system endpoint. A surface brings its own operations, its own authenticators and its own
 * error language; the {@link FrontDoor} only chooses the surface and keeps the connection healthy.
 */
public interface Surface {

    /** A short name for the access log and metrics: {@code classic}, {@code s3}, {@code ui}, ... */
    String name();

    /** Answers the request; throws anything it cannot answer, for {@link #answerFailure}. */
    void serve(Exchange exchange) throws Exception;

    /**
     * Answers a failure of {@link #serve} (or of reading the request) in this surface's language: a
     * JSON {@code {"message"}} body, an S3 XML error, ... The response is not yet committed and has
     * been reset, but for the headers the failure asks for.
     *
     * @return the status answered (5xx but 501 and 503 marks a fault of the server, which the front
     *     door logs with its stack trace)
     */
    int answerFailure(Exchange exchange, Throwable failure) throws Exception;
}
