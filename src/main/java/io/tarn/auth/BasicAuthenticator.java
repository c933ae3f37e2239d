package io.tarn.auth;

import java.util.Optional;

/** Access key id and secret (HTTP basic auth), checked against the stored, encrypted credentials. */
public final class BasicAuthenticator implements Authenticator {
    private final AuthService auth;

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
        return auth.authenticate(basic.accessKeyId(), basic.secretAccessKey()).map(Principal::new);
    }
}
