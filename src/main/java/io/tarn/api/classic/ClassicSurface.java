package io.tarn.api.classic;

import io.tarn.api.common.AccessTable;
import io.tarn.api.http.AccessGuard;
import io.tarn.api.http.BasicAuthHeader;
import io.tarn.api.http.JsonApiSurface;
import io.tarn.api.http.Operations;
import io.tarn.api.http.RequestMatcher;
import io.tarn.auth.AuthService;
import io.tarn.auth.Authenticator;
import io.tarn.engine.Engine;
import java.io.IOException;
import java.io.InputStream;

/**
 * The classic lakeFS API of 2020 as one surface: the Swagger 2.0 document {@code api/swagger.json}
 * (base path {@code /api/v0}, served at {@code /swagger.json}), its operations, basic auth, the
 * access rules of {@link AccessTable#CLASSIC} (a denial is a 401, as in 2020) and {@link ClassicErrors}.
 */
public final class ClassicSurface {
    public static final String DOCUMENT_PATH = "/swagger.json";
    public static final String BASE_PATH = "/api/v0";
    static final String DOCUMENT_RESOURCE = "/api/swagger.json";

    private ClassicSurface() {}

    /** The requests the classic API answers: its base path and its document. */
    public static RequestMatcher paths() {
        return RequestMatcher.under(BASE_PATH).or(RequestMatcher.path(DOCUMENT_PATH));
    }

    public static JsonApiSurface create(Engine engine, AuthService auth, Authenticator authenticator) throws IOException {
        Operations operations = ClassicApi.operations(engine).addAll(SystemOperations.operations(auth))
                .addAll(AuthOperations.operations(auth));
        return new JsonApiSurface("classic", DOCUMENT_PATH, document(), operations, authenticator,
                BasicAuthHeader::read, ClassicErrors.MAPPER, AUTH_HINT, CHALLENGE,
                AccessTable.guard(AccessTable.CLASSIC, auth.directory()));
    }

    /** The surface over any document and operations (tests use a small document of their own). */
    public static JsonApiSurface create(byte[] document, Operations operations, Authenticator authenticator)
            throws IOException {
        return new JsonApiSurface("classic", DOCUMENT_PATH, document, operations, authenticator,
                BasicAuthHeader::read, ClassicErrors.MAPPER, AUTH_HINT, CHALLENGE, AccessGuard.AUTHENTICATED);
    }

    private static final String AUTH_HINT = "use HTTP basic auth with an access key";
    private static final String CHALLENGE = "Basic realm=\"tarn\"";

    /** The document's bytes, as served. */
    public static byte[] document() throws IOException {
        try (InputStream in = ClassicSurface.class.getResourceAsStream(DOCUMENT_RESOURCE)) {
            if (in == null) {
                throw new IOException("the API document " + DOCUMENT_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }
}
