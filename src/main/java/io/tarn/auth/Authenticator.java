package io.tarn.auth;

import java.util.Optional;

/**
 * Checks one kind of presented credentials. {@link #accepts} says whether this authenticator knows the
 * kind; {@link #authenticate} answers the principal, or empty when the credentials are not valid.
 * An {@link AuthenticatorChain} puts several together; a surface mounts the chain it accepts.
 */
public interface Authenticator {

    boolean accepts(PresentedCredentials credentials);

    /** The principal the credentials belong to, or empty when they are wrong (unknown key, bad secret). */
    Optional<Principal> authenticate(PresentedCredentials credentials);
}
