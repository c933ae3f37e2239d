package io.tarn.api.http;

import io.tarn.api.system.HealthSurface;
import io.tarn.auth.Authenticator;
import io.tarn.auth.PresentedCredentials;
import io.tarn.auth.Principal;
import io.tarn.error.NotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/** A server with one JSON API surface over a test document, for the HTTP layer's own tests. */
final class TestServers {
    static final String INSTANCE = "00000000-0000-4000-8000-000000000001";

    private TestServers() {}

    /** Accepts basic credentials for which {@code valid} holds, as user {@code user}. */
    static Authenticator basic(BiPredicate<String, String> valid, String user) {
        return new Authenticator() {
            @Override
            public boolean accepts(PresentedCredentials credentials) {
                return credentials instanceof PresentedCredentials.Basic;
            }

            @Override
            public Optional<Principal> authenticate(PresentedCredentials credentials) {
                PresentedCredentials.Basic b = (PresentedCredentials.Basic) credentials;
                return valid.test(b.accessKeyId(), b.secretAccessKey()) ? Optional.of(new Principal(user)) : Optional.empty();
            }
        };
    }

    static JsonApiSurface surface(byte[] document, Operations operations, Authenticator authenticator) throws Exception {
        ErrorMapper errors = new ErrorMapper(error -> ErrorMapper.of(error instanceof NotFoundException ? 404 : 400,
                error.getMessage()));
        return new JsonApiSurface("test", "/swagger.json", document, operations, authenticator, BasicAuthHeader::read,
                errors, "use HTTP basic auth");
    }

    static HttpServer start(HttpServer.Settings settings, byte[] document, Operations operations,
                            Authenticator authenticator, RequestObserver observer) throws Exception {
        return HttpServer.start(settings, List.of(
                new Mount(RequestMatcher.path(HealthSurface.PATH), new HealthSurface(INSTANCE)),
                new Mount(RequestMatcher.any(), surface(document, operations, authenticator))), observer);
    }
}
