package io.tarn.auth;

import io.tarn.error.NotFoundException;
import io.tarn.error.UnauthenticatedException;
import java.util.Optional;

/**
 * AWS request signatures (SigV4, SigV2) made with a Tarn access key: the key's secret is looked up
 * (decrypted) through {@link AuthService} and handed to the signature's check, never kept or logged.
 * An unknown access key is a {@link NotFoundException} of kind {@code CREDENTIALS} (S3 tells it apart
 * from a wrong signature); a signature that does not match is empty.
 */
public final class AwsSignatureAuthenticator implements Authenticator {
    private final AuthService auth;
    private volatile boolean setUp;

    public AwsSignatureAuthenticator(AuthService auth) {
        this.auth = auth;
    }

    @Override
    public boolean accepts(PresentedCredentials credentials) {
        return credentials instanceof PresentedCredentials.AwsSignature;
    }

    /**
     * @throws NotFoundException        (kind CREDENTIALS) if the access key id is unknown
     * @throws UnauthenticatedException if the installation has no admin yet
     */
    @Override
    public Optional<Principal> authenticate(PresentedCredentials credentials) {
        if (!(credentials instanceof PresentedCredentials.AwsSignature signature)) {
            return Optional.empty();
        }
        if (!setUp) {
            if (!auth.isSetUp()) {
                throw new UnauthenticatedException(BasicAuthenticator.NOT_SET_UP);
            }
            setUp = true;
        }
        AuthService.KeySecret key = auth.secretOf(signature.accessKeyId())
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.CREDENTIALS, signature.accessKeyId()));
        return signature.check().matches(key.secretAccessKey()) ? Optional.of(new Principal(key.userId()))
                : Optional.empty();
    }
}
