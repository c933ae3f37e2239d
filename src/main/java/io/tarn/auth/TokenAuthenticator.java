package io.tarn.auth;

import io.tarn.error.NotFoundException;
import java.util.Optional;

/**
 * Login tokens ({@link LoginTokens}), sent as a bearer token or in the session cookie: valid when the
 * token verifies and its user still exists.
 */
public final class TokenAuthenticator implements Authenticator {
    private final LoginTokens tokens;
    private final AuthService auth;

    public TokenAuthenticator(LoginTokens tokens, AuthService auth) {
        this.tokens = tokens;
        this.auth = auth;
    }

    @Override
    public boolean accepts(PresentedCredentials credentials) {
        return credentials instanceof PresentedCredentials.Bearer || credentials instanceof PresentedCredentials.SessionCookie;
    }

    @Override
    public Optional<Principal> authenticate(PresentedCredentials credentials) {
        String token = switch (credentials) {
            case PresentedCredentials.Bearer bearer -> bearer.token();
            case PresentedCredentials.SessionCookie cookie -> cookie.token();
            case PresentedCredentials.Basic basic -> null;
            case PresentedCredentials.AwsSignature signature -> null;
        };
        if (token == null) {
            return Optional.empty();
        }
        return tokens.verify(token).flatMap(this::existing).map(Principal::new);
    }

    private Optional<String> existing(String userId) {
        try {
            return Optional.of(auth.getUser(userId).id());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}
