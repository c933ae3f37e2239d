package io.tarn.api.http;

/**
 * What is known of a request once it is answered, for the access log and the metrics.
 *
 * @param startEpochMillis when the request arrived (wall clock)
 * @param client           the client's address (no port)
 * @param user             the authenticated user id, or {@code null}
 * @param surface          the surface that answered ({@code "none"} if the request never reached one)
 * @param operation        the operation the surface routed it to, or {@code "unknown"}
 * @param path             the path as sent (still percent-encoded)
 * @param bytesIn          request body bytes read
 * @param bytesOut         response body bytes written
 */
public record RequestRecord(long startEpochMillis, String client, String user, String surface, String operation,
                            String method, String path, int status, long bytesIn, long bytesOut,
                            long durationNanos) {}
