package io.tarn.api.http;

import io.tarn.auth.Authenticator;
import io.tarn.auth.PresentedCredentials;
import io.tarn.auth.Principal;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A JSON API described by its own document (Swagger 2.0 or OpenAPI 3): the document is served
 * byte-for-byte at its path, requests are routed by the {@link Router} built from it, authenticated
 * with the surface's {@link Authenticator} where the document asks for security, and failures are
 * answered as {@code {"message": ...}} through the surface's {@link ErrorMapper}. The classic API is
 * one; the current lakeFS API will be another.
 */
public final class JsonApiSurface implements Surface {

    /** Takes the credentials out of a request (empty when it has none). */
    @FunctionalInterface
    public interface CredentialsReader {
        Optional<PresentedCredentials> read(Exchange exchange);
    }

    private final String name;
    private final String documentPath;
    private final byte[] document;
    private final Router router;
    private final Authenticator authenticator;
    private final CredentialsReader credentials;
    private final ErrorMapper errors;
    private final String authHint;
    private final String challenge;
    private final AccessGuard guard;

    /**
     * A surface whose 401 answers carry {@code WWW-Authenticate: Basic realm="tarn"}.
     *
     * @param documentPath where the document is served (e.g. {@code /swagger.json})
     * @param authHint     said in the 401 of a request without credentials (how to authenticate)
     * @throws IllegalStateException if the document and the operations differ
     */
    public JsonApiSurface(String name, String documentPath, byte[] document, Operations operations,
                          Authenticator authenticator, CredentialsReader credentials, ErrorMapper errors,
                          String authHint) throws IOException {
        this(name, documentPath, document, operations, authenticator, credentials, errors, authHint,
                "Basic realm=\"tarn\"", AccessGuard.AUTHENTICATED);
    }

    /**
     * @param challenge the {@code WWW-Authenticate} header of 401 answers, or null for none (a browser
     *                  that gets a Basic challenge asks for a password instead of letting its page log in)
     * @param guard     authorizes each authenticated request by its operation; it must have a rule for
     *                  every operation of the document ({@link AccessGuard#AUTHENTICATED}: none needed)
     * @throws IllegalStateException if the guard lacks a rule for an operation, or calls public an
     *                               operation the document secures (or the other way round)
     */
    public JsonApiSurface(String name, String documentPath, byte[] document, Operations operations,
                          Authenticator authenticator, CredentialsReader credentials, ErrorMapper errors,
                          String authHint, String challenge, AccessGuard guard) throws IOException {
        this.challenge = challenge;
        this.guard = guard;
        ApiDocument parsed = ApiDocument.parse(document);
        if (guard != AccessGuard.AUTHENTICATED) {
            java.util.Set<String> missing = new java.util.TreeSet<>();
            java.util.Set<String> mismatched = new java.util.TreeSet<>();
            for (ApiDocument.DocumentedOperation op : parsed.operations()) {
                if (!guard.operations().contains(op.operationId())) {
                    missing.add(op.operationId());
                } else if (guard.isPublic(op.operationId()) == op.authenticated()) {
                    mismatched.add(op.operationId());
                }
            }
            if (!missing.isEmpty() || !mismatched.isEmpty()) {
                throw new IllegalStateException("access rules and the " + name + " document differ: operations"
                        + " without a rule " + missing + "; public in one but not the other " + mismatched);
            }
        }
        this.name = name;
        this.documentPath = documentPath;
        this.document = document.clone();
        this.router = Router.build(parsed, operations);
        this.authenticator = authenticator;
        this.credentials = credentials;
        this.errors = errors;
        this.authHint = authHint;
    }

    @Override
    public String name() {
        return name;
    }

    /** The document's base path (e.g. {@code /api/v0}). */
    public String basePath() {
        return router.basePath();
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        String path = exchange.rawPath();
        String method = exchange.method();
        if (path.equals(documentPath) && !router.covers(path)) {
            exchange.operation("document");
            exchange.serveFixed(HttpApiResponse.JSON, document);
            return;
        }
        switch (router.match(method, path)) {
            case Router.NotFound notFound -> throw ApiException.notFound("no such API path: " + FrontDoor.printable(path));
            case Router.MethodNotAllowed notAllowed -> {
                exchange.responseHeader(HttpHeader.ALLOW.asString(), String.join(", ", notAllowed.allowed()));
                throw new ApiException(405, "method " + method + " is not allowed on " + FrontDoor.printable(path));
            }
            case Router.Found found -> {
                exchange.operation(found.operation().operationId());
                Principal principal = found.operation().authenticated() ? authenticate(exchange) : null;
                HttpApiRequest apiRequest = new HttpApiRequest(exchange.request(), found.operation().operationId(),
                        found.params(), principal, exchange.requestBody());
                if (principal != null) {
                    guard.check(apiRequest);
                }
                found.handler().handle(apiRequest, exchange.apiResponse());
            }
        }
    }

    private Principal authenticate(Exchange exchange) {
        PresentedCredentials presented = credentials.read(exchange)
                .orElseThrow(() -> ApiException.unauthorized("missing credentials: " + authHint));
        if (!authenticator.accepts(presented)) {
            throw ApiException.unauthorized("these credentials are not accepted here: " + authHint);
        }
        Principal principal = authenticator.authenticate(presented).orElseThrow(
                () -> ApiException.unauthorized("error authenticating request: wrong access key or secret"));
        exchange.principal(principal);
        return principal;
    }

    @Override
    public int answerFailure(Exchange exchange, Throwable failure) {
        ErrorMapper.ErrorResponse error = errors.map(failure);
        if (error.status() == 401 && challenge != null) {
            exchange.responseHeader(HttpHeader.WWW_AUTHENTICATE.asString(), challenge);
        }
        return answerJson(exchange, error);
    }

    /** Writes {@code error} as the JSON answer; returns its status. */
    static int answerJson(Exchange exchange, ErrorMapper.ErrorResponse error) {
        exchange.apiResponse().json(error.status(), error.body());
        return error.status();
    }
}
