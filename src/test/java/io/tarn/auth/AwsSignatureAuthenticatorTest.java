package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.error.NotFoundException;
import io.tarn.error.UnauthenticatedException;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AWS signatures are checked with the decrypted secret of the access key they name. */
class AwsSignatureAuthenticatorTest {
    private static final SecretBox BOX = new SecretBox("test-secret-key");

    @TempDir
    Path dir;

    @Test
    void theCheckGetsTheKeysSecretAndTheUserIsThePrincipal() {
        try (KvStore kv = KvStores.open("mem", dir.resolve("kv"))) {
            AuthService auth = new AuthService(kv, BOX);
            auth.setup("jane", AuthServiceTest.AK, AuthServiceTest.SK);
            AwsSignatureAuthenticator authenticator = new AwsSignatureAuthenticator(auth);
            AtomicReference<String> seen = new AtomicReference<>();
            PresentedCredentials good = new PresentedCredentials.AwsSignature(AuthServiceTest.AK, secret -> {
                seen.set(secret);
                return true;
            });
            assertThat(authenticator.accepts(good)).isTrue();
            assertThat(authenticator.accepts(new PresentedCredentials.Basic("a", "b"))).isFalse();
            assertThat(authenticator.authenticate(good)).contains(new Principal("jane"));
            assertThat(seen.get()).isEqualTo(AuthServiceTest.SK);
            assertThat(authenticator.authenticate(new PresentedCredentials.AwsSignature(AuthServiceTest.AK, s -> false)))
                    .isEmpty();
            assertThatThrownBy(() -> authenticator.authenticate(
                    new PresentedCredentials.AwsSignature("AKIAUNKNOWNKEY000000", s -> true)))
                    .isInstanceOf(NotFoundException.class)
                    .extracting("kind").isEqualTo(NotFoundException.Kind.CREDENTIALS);
            assertThat(good.toString()).doesNotContain(AuthServiceTest.SK);
            assertThat(auth.secretOf(AuthServiceTest.AK).orElseThrow().toString()).doesNotContain(AuthServiceTest.SK);
        }
    }

    @Test
    void beforeSetupTheAnswerSaysHowToSetUp() {
        try (KvStore kv = KvStores.open("mem", dir.resolve("kv"))) {
            AwsSignatureAuthenticator authenticator = new AwsSignatureAuthenticator(new AuthService(kv, BOX));
            assertThatThrownBy(() -> authenticator.authenticate(
                    new PresentedCredentials.AwsSignature(AuthServiceTest.AK, s -> true)))
                    .isInstanceOf(UnauthenticatedException.class);
        }
    }
}
