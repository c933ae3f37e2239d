package io.tarn.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Login tokens as lakeFS issues them: a JWT signed with HS256, claims {@code iss: "auth"},
 * {@code aud: "login"}, {@code sub: <user id>}, {@code jti}, {@code iat} and {@code exp}. The signing
 * key is derived from {@code auth.encrypt.secret_key} ({@link AuthService#derivedKey}), so tokens
 * survive a restart and are refused by an installation with another key.
 */
public final class LoginTokens {
    public static final String ISSUER = "auth";
    public static final String AUDIENCE = "login";
    /** What the signing key is derived for. */
    static final String KEY_PURPOSE = "login-token/hs256";
    /** Longer tokens are not even parsed. */
    private static final int MAX_TOKEN_CHARS = 8192;

    /** A signed token and its expiry (epoch seconds). */
    public record Token(String jwt, long expiresAt) {
        @Override
        public String toString() {
            return "Token[***, expiresAt=" + expiresAt + "]";
        }
    }

    private final MACSigner signer;
    private final JWSVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;

    public LoginTokens(byte[] key, Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive");
        }
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the token key must have at least 256 bits", e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Tokens signed with the key {@code auth} derives from {@code auth.encrypt.secret_key}. */
    public static LoginTokens of(AuthService auth, Duration lifetime) {
        return new LoginTokens(auth.derivedKey(KEY_PURPOSE), lifetime, Clock.systemUTC());
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new token for {@code userId}, valid for the lifetime from now. */
    public Token issue(String userId) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(userId)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(Instant.ofEpochSecond(now.getEpochSecond())))
                .expirationTime(Date.from(Instant.ofEpochSecond(expires.getEpochSecond())))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a login token", e);
        }
        return new Token(jwt.serialize(), expires.getEpochSecond());
    }

    /**
     * The user id of a valid token: signed by this key with HS256, issuer and audience as issued,
     * not expired, with a subject. Empty for anything else (never an exception).
     */
    public Optional<String> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            List<String> audience = claims.getAudience();
            String subject = claims.getSubject();
            if (!ISSUER.equals(claims.getIssuer()) || audience == null || !audience.contains(AUDIENCE)
                    || expires == null || !clock.instant().isBefore(expires.toInstant())
                    || subject == null || subject.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(subject);
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
