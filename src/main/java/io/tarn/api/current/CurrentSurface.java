package io.tarn.api.current;

import io.tarn.api.common.AccessTable;
import io.tarn.api.http.AccessGuard;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.BasicAuthHeader;
import io.tarn.api.http.Exchange;
import io.tarn.api.http.JsonApiSurface;
import io.tarn.api.http.Operations;
import io.tarn.api.http.RequestMatcher;
import io.tarn.auth.AuthService;
import io.tarn.auth.Authenticator;
import io.tarn.auth.LoginTokens;
import io.tarn.auth.PresentedCredentials;
import io.tarn.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The current lakeFS API as one surface: the OpenAPI 3 document {@code api/openapi.json} (server
 * {@code /api/v1}, served at {@code /openapi.json}), its operations, basic auth, bearer login tokens and
 * the session cookie, the access rules of {@link AccessTable#CURRENT} (a denial is a 403) and
 * {@link CurrentErrors}.
 */
public final class CurrentSurface {
    public static final String BASE_PATH = "/api/v1";
    public static final String DOCUMENT_PATH = "/openapi.json";
    /** The cookie login sets, holding the login token (lakeFS's name). */
    public static final String SESSION_COOKIE = "internal_auth_session";
    static final String DOCUMENT_RESOURCE = "/api/openapi.json";
    private static final String AUTH_HINT = "use HTTP basic auth with an access key, or a token from "
            + BASE_PATH + "/auth/login (Authorization: Bearer, or the " + SESSION_COOKIE + " cookie)";

    /**
     * The lakeFS version getConfig reports as {@code version_config.version}: the lakeFS release whose
     * API this surface follows. Clients compare it with the lakeFS versions that introduced features
     * (lakefs-spec parses it as numbers), so it is a lakeFS version; Tarn's own version is in
     * {@code version_context}.
     */
    public static final String LAKEFS_VERSION = "1.84.0";

    /** What getConfig tells about this server: Tarn's own version and the block store type. */
    public record ServerInfo(String version, String blockstoreType) {}

    private CurrentSurface() {}

    /** The requests the current API answers: its base path and its document. */
    public static RequestMatcher paths() {
        return RequestMatcher.under(BASE_PATH).or(RequestMatcher.path(DOCUMENT_PATH));
    }

    /**
     * @param authenticator checks every kind the surface reads: basic, bearer and session cookie
     */
    public static JsonApiSurface create(Engine engine, AuthService auth, LoginTokens tokens, ServerInfo server,
                                        Authenticator authenticator) throws IOException {
        Operations operations = CurrentApi.operations(engine)
                .addAll(new SetupOperations(auth, tokens, server).operations())
                .addAll(AuthOperations.operations(auth));
        // no WWW-Authenticate challenge on 401, as lakeFS: the web UI logs in itself (cookie)
        return new JsonApiSurface("current", DOCUMENT_PATH, document(), operations, authenticator,
                CurrentSurface::credentials, CurrentErrors.MAPPER, AUTH_HINT, null,
                AccessTable.guard(AccessTable.CURRENT, auth.directory()));
    }

    /** The surface over any document and operations. */
    public static JsonApiSurface create(byte[] document, Operations operations, Authenticator authenticator)
            throws IOException {
        // no WWW-Authenticate challenge on 401, as lakeFS: the web UI logs in itself (cookie)
        return new JsonApiSurface("current", DOCUMENT_PATH, document, operations, authenticator,
                CurrentSurface::credentials, CurrentErrors.MAPPER, AUTH_HINT, null, AccessGuard.AUTHENTICATED);
    }

    /**
     * The credentials of a request: the {@code Authorization} header (Basic or Bearer), else the
     * session cookie.
     */
    static Optional<PresentedCredentials> credentials(Exchange exchange) {
        String header = exchange.header(HttpHeader.AUTHORIZATION.asString());
        if (header != null && !header.isBlank()) {
            String trimmed = header.trim();
            int space = trimmed.indexOf(' ');
            if (space > 0 && trimmed.substring(0, space).equalsIgnoreCase("Bearer")) {
                String token = trimmed.substring(space + 1).trim();
                if (token.isEmpty()) {
                    throw ApiException.unauthorized("malformed Authorization header: empty bearer token");
                }
                return Optional.of(new PresentedCredentials.Bearer(token));
            }
            if (space > 0 && trimmed.substring(0, space).equalsIgnoreCase("Basic")) {
                return BasicAuthHeader.read(exchange);
            }
            throw ApiException.unauthorized("malformed Authorization header: expected Basic or Bearer credentials");
        }
        return cookie(exchange.header(HttpHeader.COOKIE.asString()), SESSION_COOKIE)
                .map(PresentedCredentials.SessionCookie::new);
    }

    /** The value of cookie {@code name} in a {@code Cookie} header. */
    static Optional<String> cookie(String header, String name) {
        if (header == null) {
            return Optional.empty();
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The document's bytes, as served. */
    public static byte[] document() throws IOException {
        try (InputStream in = CurrentSurface.class.getResourceAsStream(DOCUMENT_RESOURCE)) {
            if (in == null) {
                throw new IOException("the API document " + DOCUMENT_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }
}
