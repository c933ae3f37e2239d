package io.tarn.api.http;

/**
 * The handler of one operation of an API document, found by its operationId. Handlers stay thin:
 * parse the request, call a service, write the result. They throw domain errors
 * ({@link io.tarn.error.TarnException}) or {@link ApiException} and never write error bodies
 * themselves: {@code ErrorMapper} does that in one place.
 */
@FunctionalInterface
public interface Operation {
    void handle(ApiRequest request, ApiResponse response) throws Exception;
}
