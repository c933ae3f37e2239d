package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.kv.memory.MemoryKvStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LoginTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final byte[] KEY = new SecretBox("token-test-key").deriveKey("test");

    private static LoginTokens at(Instant instant) {
        return new LoginTokens(KEY, Duration.ofHours(168), Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static JsonNode part(String jwt, int index) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
    }

    @Test
    void issuesHs256TokensWithLakeFsClaims() throws Exception {
        LoginTokens.Token token = at(NOW).issue("jane");
        assertThat(token.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(168)).getEpochSecond());
        assertThat(part(token.jwt(), 0).path("alg").asText()).isEqualTo("HS256");
        JsonNode claims = part(token.jwt(), 1);
        assertThat(claims.path("iss").asText()).isEqualTo("auth");
        assertThat(claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText())
                .isEqualTo("login");
        assertThat(claims.path("sub").asText()).isEqualTo("jane");
        assertThat(claims.path("jti").asText()).hasSize(36);
        assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(token.expiresAt());
        assertThat(at(NOW.plusSeconds(60)).verify(token.jwt())).contains("jane");
    }

    @Test
    void refusesExpiredForeignTamperedAndUnsignedTokens() {
        String jwt = at(NOW).issue("jane").jwt();
        assertThat(at(NOW.plus(Duration.ofHours(168))).verify(jwt)).isEmpty();
        LoginTokens other = new LoginTokens(new SecretBox("another-key").deriveKey("test"), Duration.ofHours(1),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(other.verify(jwt)).isEmpty();
        String[] parts = jwt.split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"auth\",\"aud\":\"login\",\"sub\":\"admin\",\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8));
        assertThat(at(NOW).verify(parts[0] + "." + forgedClaims + "." + parts[2])).isEmpty();
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(at(NOW).verify(none + "." + forgedClaims + ".")).isEmpty();
        assertThat(at(NOW).verify("not a token")).isEmpty();
        assertThat(at(NOW).verify("")).isEmpty();
        assertThat(at(NOW).verify(null)).isEmpty();
    }

    @Test
    void theKeyIsDerivedFromTheEncryptionSecret() {
        AuthService one = new AuthService(new MemoryKvStore(), new SecretBox("same"));
        AuthService two = new AuthService(new MemoryKvStore(), new SecretBox("same"));
        AuthService three = new AuthService(new MemoryKvStore(), new SecretBox("different"));
        String jwt = LoginTokens.of(one, Duration.ofMinutes(5)).issue("jane").jwt();
        assertThat(LoginTokens.of(two, Duration.ofMinutes(5)).verify(jwt)).contains("jane");
        assertThat(LoginTokens.of(three, Duration.ofMinutes(5)).verify(jwt)).isEmpty();
        assertThat(new SecretBox("same").deriveKey("a")).isNotEqualTo(new SecretBox("same").deriveKey("b")).hasSize(32);
        assertThatThrownBy(() -> new LoginTokens(KEY, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAuthenticatorNeedsAValidTokenOfAnExistingUser() {
        AuthService auth = new AuthService(new MemoryKvStore(), new SecretBox("k"));
        auth.setup("admin");
        LoginTokens tokens = LoginTokens.of(auth, Duration.ofMinutes(5));
        TokenAuthenticator authenticator = new TokenAuthenticator(tokens, auth);
        String good = tokens.issue("admin").jwt();
        assertThat(authenticator.accepts(new PresentedCredentials.Basic("a", "b"))).isFalse();
        assertThat(authenticator.authenticate(new PresentedCredentials.Bearer(good))).contains(new Principal("admin"));
        assertThat(authenticator.authenticate(new PresentedCredentials.SessionCookie(good))).contains(new Principal("admin"));
        assertThat(authenticator.authenticate(new PresentedCredentials.Bearer(tokens.issue("ghost").jwt()))).isEmpty();
        assertThat(new PresentedCredentials.Bearer(good).toString()).doesNotContain(good);
    }
}
