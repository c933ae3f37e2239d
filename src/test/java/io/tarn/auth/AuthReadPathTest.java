package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.auth.policy.Arns;
import io.tarn.auth.policy.Permission;
import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What authorizing a request costs in store reads: once a user's key and policies are remembered, a
 * request of a user whose access comes through a group policy reads the store as often as the admin's
 * (never), as authentication alone did before access control; a change is seen by the next request on
 * this server, and a change made by another server after at most the cache TTL.
 */
class AuthReadPathTest {
    /** Counts every read (get, scan) of the store. */
    static final class CountingStore extends ForwardingKvStore {
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(KvStore in) {
            super(in);
        }

        @Override
        public java.util.Optional<byte[]> get(byte[] key) {
            reads.incrementAndGet();
            return in.get(key);
        }

        @Override
        public KvIterator scan(byte[] prefix, byte[] from) {
            reads.incrementAndGet();
            return in.scan(prefix, from);
        }
    }

    private final AuthServiceCacheTest.ManualClock clock = new AuthServiceCacheTest.ManualClock();
    private final MemoryKvStore shared = new MemoryKvStore();
    private final CountingStore kv = new CountingStore(shared);
    private AuthService auth;
    private Credentials admin;
    private Credentials viewer;
    private final List<Permission> read = List.of(new Permission("fs:ReadObject", Arns.object("repo", "a/b.csv")));

    @BeforeEach
    void setUp() {
        auth = new AuthService(kv, new SecretBox("k"), clock, Duration.ofSeconds(20));
        admin = auth.setup("admin");
        auth.directory().createUser("viewer", null, null);
        auth.directory().addMember("Viewers", "viewer");
        viewer = auth.createCredentials("viewer");
    }

    /** The store reads of one request's authentication and authorization. */
    private int readsOf(Credentials key) {
        int before = kv.reads.get();
        String user = auth.authenticate(key.accessKeyId(), key.secretAccessKey()).orElseThrow();
        assertThat(auth.directory().decide(user, read).allowed()).isTrue();
        return kv.reads.get() - before;
    }

    @Test
    void aWarmRequestReadsNothingForTheAdminAndForAGroupUserAlike() {
        assertThat(readsOf(admin)).isPositive();
        assertThat(readsOf(viewer)).isPositive();
        for (int i = 0; i < 100; i++) {
            assertThat(readsOf(admin)).isZero();
            assertThat(readsOf(viewer)).isZero();
        }
    }

    @Test
    void aChangeHereAppliesToTheNextRequest() {
        readsOf(viewer);
        auth.directory().createPolicy("NoReads", List.of(new AuthDirectory.StatementInput("deny", List.of("fs:Read*"),
                "*")));
        auth.directory().attachToUser("viewer", "NoReads");
        assertThat(auth.directory().decide("viewer", read).allowed()).isFalse();
    }

    @Test
    void aChangeOnAnotherServerAppliesWithinTheTtl() {
        AuthService other = new AuthService(shared, new SecretBox("k"), clock, Duration.ofSeconds(20));
        readsOf(viewer);
        other.directory().removeMember("Viewers", "viewer");
        assertThat(auth.directory().decide("viewer", read).allowed()).isTrue(); // remembered here
        clock.advance(Duration.ofSeconds(21));
        assertThat(auth.directory().decide("viewer", read).allowed()).isFalse();
        // a key deleted there stops working here within the same bound
        other.deleteCredentials("admin", admin.accessKeyId());
        clock.advance(Duration.ofSeconds(21));
        assertThat(auth.authenticate(admin.accessKeyId(), admin.secretAccessKey())).isEmpty();
    }

    @Test
    void aPolicyOfAGroupUpdatedHereAppliesAtOnceAndThereWithinTheTtl() {
        AuthService other = new AuthService(shared, new SecretBox("k"), clock, Duration.ofSeconds(20));
        List<AuthDirectory.StatementInput> readOnlyOther = List.of(new AuthDirectory.StatementInput("allow",
                List.of("fs:Read*"), Arns.repository("other") + "/*"));
        List<AuthDirectory.StatementInput> readAll = List.of(new AuthDirectory.StatementInput("allow",
                List.of("fs:Read*", "fs:List*"), "*"));
        assertThat(readsOf(viewer)).isPositive(); // compiled and remembered on both servers
        assertThat(other.directory().decide("viewer", read).allowed()).isTrue();
        auth.directory().updatePolicy("FSReadAll", readOnlyOther);
        assertThat(auth.directory().decide("viewer", read).allowed()).isFalse(); // here: the next request
        assertThat(other.directory().decide("viewer", read).allowed()).isTrue(); // there: remembered
        clock.advance(Duration.ofSeconds(21));
        assertThat(other.directory().decide("viewer", read).allowed()).isFalse(); // there: within the TTL
        assertThat(auth.directory().decide("viewer", read).allowed()).isFalse(); // remembered again here
        other.directory().updatePolicy("FSReadAll", readAll);
        assertThat(other.directory().decide("viewer", read).allowed()).isTrue();
        assertThat(auth.directory().decide("viewer", read).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(21));
        assertThat(auth.directory().decide("viewer", read).allowed()).isTrue();
    }

    @Test
    void aKeyDeletedHereStopsAtOnceAndThereWithinTheTtl() {
        AuthService other = new AuthService(shared, new SecretBox("k"), clock, Duration.ofSeconds(20));
        Credentials second = auth.createCredentials("viewer");
        assertThat(auth.authenticate(viewer.accessKeyId(), viewer.secretAccessKey())).contains("viewer");
        assertThat(other.authenticate(viewer.accessKeyId(), viewer.secretAccessKey())).contains("viewer");
        assertThat(other.authenticate(second.accessKeyId(), second.secretAccessKey())).contains("viewer");
        assertThat(auth.authenticate(second.accessKeyId(), second.secretAccessKey())).contains("viewer");
        auth.deleteCredentials("viewer", viewer.accessKeyId());
        assertThat(auth.authenticate(viewer.accessKeyId(), viewer.secretAccessKey())).isEmpty();
        assertThat(other.authenticate(viewer.accessKeyId(), viewer.secretAccessKey())).contains("viewer");
        other.deleteCredentials("viewer", second.accessKeyId());
        assertThat(other.authenticate(second.accessKeyId(), second.secretAccessKey())).isEmpty();
        clock.advance(Duration.ofSeconds(21));
        assertThat(other.authenticate(viewer.accessKeyId(), viewer.secretAccessKey())).isEmpty();
        assertThat(auth.authenticate(second.accessKeyId(), second.secretAccessKey())).isEmpty();
    }

    @Test
    void theGatewaysKeyLookupIsRememberedAndForgottenAsVerificationsAre() {
        AuthService other = new AuthService(shared, new SecretBox("k"), clock, Duration.ofSeconds(20));
        Credentials second = auth.createCredentials("viewer");
        for (AuthService server : List.of(auth, other)) {
            for (Credentials key : List.of(viewer, second)) {
                assertThat(server.secretOf(key.accessKeyId()).map(AuthService.KeySecret::secretAccessKey))
                        .contains(key.secretAccessKey());
            }
        }
        int before = kv.reads.get();
        assertThat(auth.secretOf(viewer.accessKeyId())).isPresent();
        assertThat(kv.reads.get()).isEqualTo(before); // remembered: no store read
        assertThat(auth.secretOf("AKIAJUNKNOWNKEY0000Q")).isEmpty();
        assertThat(auth.secretOf("AKIAJUNKNOWNKEY0000Q")).isEmpty();
        assertThat(kv.reads.get()).isEqualTo(before + 2); // an unknown key is never remembered
        auth.deleteCredentials("viewer", viewer.accessKeyId());
        assertThat(auth.secretOf(viewer.accessKeyId())).isEmpty(); // here: at once
        assertThat(other.secretOf(viewer.accessKeyId())).isPresent(); // there: remembered
        other.deleteCredentials("viewer", second.accessKeyId());
        assertThat(other.secretOf(second.accessKeyId())).isEmpty();
        assertThat(auth.secretOf(second.accessKeyId())).isPresent();
        clock.advance(Duration.ofSeconds(21));
        assertThat(other.secretOf(viewer.accessKeyId())).isEmpty(); // there: within the TTL
        assertThat(auth.secretOf(second.accessKeyId())).isEmpty();
    }
}
