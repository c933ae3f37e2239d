package io.tarn.api.current;

import io.tarn.api.http.NotFoundSurface;
import io.tarn.api.http.RequestMatcher;
import io.tarn.api.http.Surface;

/**
 * The door of the current lakeFS API ({@code /api/v1}, OpenAPI 3 at {@code /openapi.json}). Until that
 * API is served, its door answers every request with a JSON 404 that names the classic API, so a
 * current SDK or lakectl gets an answer it can show instead of a web page or a bare 404.
 */
public final class CurrentApi {
    public static final String BASE_PATH = "/api/v1";
    public static final String DOCUMENT_PATH = "/openapi.json";

    private CurrentApi() {}

    public static RequestMatcher paths() {
        return RequestMatcher.under(BASE_PATH).or(RequestMatcher.path(DOCUMENT_PATH));
    }

    public static Surface notServedYet() {
        return new NotFoundSurface("current", "the current lakeFS API (" + BASE_PATH + ", document " + DOCUMENT_PATH
                + ") is not served by this Tarn yet; use the classic lakeFS API at /api/v0 (document /swagger.json)");
    }
}
