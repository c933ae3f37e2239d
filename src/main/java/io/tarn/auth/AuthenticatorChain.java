package io.tarn.auth;

import java.util.List;
import java.util.Optional;

/**
 * Authenticators tried in order: the first that accepts the kind of the presented credentials decides.
 * Credentials no member accepts are refused, so a surface that takes only basic auth refuses a
 * bearer token instead of ignoring it.
 */
public final class AuthenticatorChain implements Authenticator {
    private final List<Authenticator> members;

    public AuthenticatorChain(List<Authenticator> members) {
        this.members = List.copyOf(members);
    }

    public static AuthenticatorChain of(Authenticator... members) {
        return new AuthenticatorChain(List.of(members));
    }

    @Override
    public boolean accepts(PresentedCredentials credentials) {
        for (Authenticator member : members) {
            if (member.accepts(credentials)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Principal> authenticate(PresentedCredentials credentials) {
        for (Authenticator member : members) {
            if (member.accepts(credentials)) {
                return member.authenticate(credentials);
            }
        }
        return Optional.empty();
    }
}
