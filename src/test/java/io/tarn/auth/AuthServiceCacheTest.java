package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.kv.KvStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The cache of successful verifications in AuthService, with an injected clock (no sleeping). */
class AuthServiceCacheTest {
    private static final String AK = AuthServiceTest.AK;
    private static final String SK = AuthServiceTest.SK;
    private static final byte[] CREDENTIAL_KEY = "auth/credentials/AKIAIOSFODNN7EXAMPLE".getBytes(StandardCharsets.UTF_8);

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final MemoryKvStore kv = new MemoryKvStore();
    private final AuthService auth = newService(kv);

    private AuthService newService(KvStore store) {
        AuthService service = new AuthService(store, new SecretBox("test-secret-key"), clock, Duration.ofSeconds(20));
        service.setup("admin", AK, SK);
        return service;
    }

    @Test
    void aSecondVerificationOfTheSameKeyIsAHitWithoutAStoreRead() {
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        assertThat(auth.cachedVerifications()).isEqualTo(1);
        // the store no longer has the credential: only the remembered verification can answer
        kv.delete(CREDENTIAL_KEY);
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        assertThat(auth.authenticate(AK, SK)).contains("admin");
    }

    @Test
    void aWrongSecretOnACachedKeyIsStillRefusedAndTheRightOneStillWorks() {
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        assertThat(auth.authenticate(AK, SK.substring(1) + "X")).isEmpty();
        assertThat(auth.authenticate(AK, "")).isEmpty();
        assertThat(auth.authenticate(AK, SK + "X")).isEmpty();
        assertThat(auth.authenticate(AK, SK)).contains("admin");
    }

    @Test
    void failuresAreNotRemembered() {
        assertThat(auth.authenticate(AK, "wrong")).isEmpty();
        assertThat(auth.authenticate("AKIAUNKNOWNKEY000000", SK)).isEmpty();
        assertThat(auth.cachedVerifications()).isZero();
    }

    @Test
    void aWrongSecretDropsTheEntryAndIsCheckedAgainstTheStore() {
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        assertThat(auth.authenticate(AK, "wrong")).isEmpty();
        assertThat(auth.cachedVerifications()).isZero();
        kv.delete(CREDENTIAL_KEY);
        assertThat(auth.authenticate(AK, SK)).isEmpty();
    }

    @Test
    void anEntryExpiresAfterTheTtlAndTheStoreIsReadAgain() {
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        kv.delete(CREDENTIAL_KEY);
        clock.advance(Duration.ofSeconds(19));
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        clock.advance(Duration.ofSeconds(1));
        // expired: the store is read again, and the credential is gone from it
        assertThat(auth.authenticate(AK, SK)).isEmpty();
        assertThat(auth.cachedVerifications()).isZero();
    }

    @Test
    void invalidateForgetsTheVerification() {
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        kv.delete(CREDENTIAL_KEY);
        // within the TTL and without invalidation the remembered verification would still answer
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        auth.invalidate(AK);
        assertThat(auth.cachedVerifications()).isZero();
        assertThat(auth.authenticate(AK, SK)).isEmpty();
    }

    @Test
    void aZeroTtlRemembersNothing() {
        AuthService uncached = new AuthService(new MemoryKvStore(), new SecretBox("k"), clock, Duration.ZERO);
        uncached.setup("admin", AK, SK);
        assertThat(uncached.authenticate(AK, SK)).contains("admin");
        assertThat(uncached.cachedVerifications()).isZero();
    }

    @Test
    void theCacheIsExposedWithStatistics() {
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        assertThat(auth.authenticate(AK, SK)).contains("admin");
        var stats = auth.caches().get("tarn.auth.credentials").stats();
        assertThat(stats.hitCount()).isEqualTo(1);
        assertThat(stats.missCount()).isEqualTo(1);
    }

    // ---- the secrets of AWS signature checks (secretOf) ----

    @Test
    void aSecretOnceFoundIsAnsweredWithoutAStoreRead() {
        assertThat(auth.secretOf(AK)).map(AuthService.KeySecret::secretAccessKey).contains(SK);
        assertThat(auth.cachedSecrets()).isEqualTo(1);
        kv.delete(CREDENTIAL_KEY);
        assertThat(auth.secretOf(AK)).map(AuthService.KeySecret::userId).contains("admin");
        var stats = auth.caches().get("tarn.auth.secrets").stats();
        assertThat(stats.hitCount()).isEqualTo(1);
        assertThat(stats.missCount()).isEqualTo(1);
    }

    @Test
    void anUnknownKeyIsNotRemembered() {
        assertThat(auth.secretOf("AKIAUNKNOWNKEY000000")).isEmpty();
        assertThat(auth.cachedSecrets()).isZero();
    }

    @Test
    void aDeletedKeyStopsAtOnceAndAnExpiredSecretIsReadAgain() {
        Credentials other = auth.createCredentials("admin");
        assertThat(auth.secretOf(other.accessKeyId())).map(AuthService.KeySecret::secretAccessKey)
                .contains(other.secretAccessKey());
        auth.deleteCredentials("admin", other.accessKeyId());
        assertThat(auth.secretOf(other.accessKeyId())).isEmpty();

        assertThat(auth.secretOf(AK)).isPresent();
        kv.delete(CREDENTIAL_KEY);
        clock.advance(Duration.ofSeconds(19));
        assertThat(auth.secretOf(AK)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(auth.secretOf(AK)).isEmpty();
    }

    @Test
    void aDeletedUserTakesItsKeysAlongAtOnce() {
        auth.directory().createUser("bob", null, null);
        Credentials bob = auth.createCredentials("bob");
        assertThat(auth.secretOf(bob.accessKeyId())).isPresent();
        auth.directory().deleteUser("bob");
        assertThat(auth.secretOf(bob.accessKeyId())).isEmpty();
    }

    @Test
    void aZeroTtlRemembersNoSecret() {
        AuthService uncached = new AuthService(new MemoryKvStore(), new SecretBox("k"), clock, Duration.ZERO);
        uncached.setup("admin", AK, SK);
        assertThat(uncached.secretOf(AK)).isPresent();
        assertThat(uncached.cachedSecrets()).isZero();
    }
}
