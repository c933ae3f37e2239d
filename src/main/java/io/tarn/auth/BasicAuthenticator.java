package io.tarn.auth;

import io.tarn.error.UnauthenticatedException;
import java.util.Optional;

/**
 * Access key id and secret (HTTP basic auth), checked against the stored, encrypted credentials.
 * Until the installation has its first admin, every check fails with {@link #NOT_SET_UP}, which says
 * how to set it up.
 */
public final class BasicAuthenticator implements Authenticator {
    /** The answer to authenticated calls before the first admin exists. */
    public static final String NOT_SET_UP = "Tarn is not set up yet: create the first admin user with"
            + " POST /api/v0/setup_lakefs {\"username\": NAME}, or stop the server and run"
            + " 'tarn setup --user-name NAME' (or start it with 'tarn run --quickstart')";

    private final AuthService auth;
    /** Once set up, always set up: no store read per request after the first success. */
    private volatile boolean setUp;

    public BasicAuthenticator(AuthService auth) {
        this.auth = auth;
    }

    @Override
    public boolean accepts(PresentedCredentials credentials) {
        return credentials instanceof PresentedCredentials.Basic;
    }

    @Override
    public Optional<Principal> authenticate(PresentedCredentials credentials) {
        if (!(credentials instanceof PresentedCredentials.Basic basic)) {
            return Optional.empty();
        }
        if (!setUp) {
            if (!auth.isSetUp()) {
                throw new UnauthenticatedException(NOT_SET_UP);
            }
            setUp = true;
        }
        return auth.authenticate(basic.accessKeyId(), basic.secretAccessKey()).map(Principal::new);
    }
}
