package io.tarn.api.http;

import java.util.Set;

/**
 * Decides, for a surface, whether an authenticated request may do what its operation does; it is
 * asked once per request, after authentication and before the handler. It throws the domain's
 * {@code AccessDeniedException}, which the surface's error mapper answers in its own words.
 */
public interface AccessGuard {

    /** The operationIds it has a rule for (the surface refuses to start unless it covers its document). */
    Set<String> operations();

    /** True for an operation that needs no authentication. */
    boolean isPublic(String operationId);

    /** @throws io.tarn.error.AccessDeniedException if the request's user may not do it */
    void check(ApiRequest request);

    /** Lets every authenticated request through (for surfaces of tests over documents of their own). */
    AccessGuard AUTHENTICATED = new AccessGuard() {
        @Override
        public Set<String> operations() {
            return Set.of();
        }

        @Override
        public boolean isPublic(String operationId) {
            return false;
        }

        @Override
        public void check(ApiRequest request) {
        }
    };
}
