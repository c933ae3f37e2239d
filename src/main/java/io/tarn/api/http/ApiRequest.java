package io.tarn.api.http;

import io.tarn.auth.Principal;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** An authenticated, routed request, as an operation handler sees it. */
public interface ApiRequest {

    String method();

    /** The operationId this request was routed to. */
    String operationId();

    /** A path parameter of the operation's path template, percent-decoded. */
    String pathParam(String name);

    /** The first value of a query parameter, percent-decoded. */
    Optional<String> query(String name);

    /** Every value of a query parameter, percent-decoded. */
    List<String> queryAll(String name);

    Optional<String> header(String name);

    /** The names of the request's headers, as sent (for headers a client may add freely, such as user metadata). */
    default List<String> headerNames() {
        return List.of();
    }

    /** Who the request acts as, or empty on operations that need no authentication. */
    Optional<Principal> principal();

    /** The authenticated user's id, or empty on operations that need no authentication. */
    default Optional<String> user() {
        return principal().map(Principal::userId);
    }

    /** True when the request carries a non-empty body (for a chunked body, reads ahead to its first byte). */
    boolean hasBody();

    /**
     * The JSON body bound to {@code type}.
     *
     * @throws ApiException 400 if the body is missing, not JSON, or not of the expected shape
     */
    <T> T jsonBody(Class<T> type);

    /**
     * Streams the content of the multipart/form-data file part named {@code name}, without buffering
     * it. Parts before it are skipped.
     *
     * @throws ApiException 400 if the request is not multipart or has no such part
     */
    InputStream multipartFile(String name);

    /** A file part of a multipart/form-data body: its content and its own {@code Content-Type}, if it has one. */
    record FilePart(InputStream content, Optional<String> contentType) {}

    /**
     * {@link #multipartFile(String)} with the part's {@code Content-Type} (which a client sets to the
     * file's media type).
     */
    default FilePart multipartPart(String name) {
        return new FilePart(multipartFile(name), Optional.empty());
    }

    /** The raw body stream. */
    InputStream body();
}
