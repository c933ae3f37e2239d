package io.tarn.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tarn.engine.model.Page;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.kv.CasOutcomes;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.util.Caches;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users and their access keys, kept in the metadata store. Secrets are stored only encrypted
 * ({@link SecretBox}) and compared in constant time. The first admin is made once, by
 * {@link #setup} (the API's setupLakeFS, the CLI's {@code setup}, {@code run --quickstart}) or by
 * {@link #install} from the {@code installation.*} settings.
 *
 * <p>Keys: {@code auth/setup} (the installation record, written once by compare-and-set),
 * {@code auth/users/<id>}, {@code auth/credentials/<access key id>}, {@code auth/key-check}; groups and
 * policies are kept by its {@link #directory()}. Setup creates lakeFS's default groups and policies
 * with the first user in {@code Admins}; {@link #superuser} puts its user in {@code Admins}.
 *
 * <p>Successful verifications are remembered for a short time ({@link #CACHE_TTL}), keyed by access
 * key id, as a SHA-256 digest of the verified secret and the user id (never the secret itself), so
 * that a client sending the same key on every request does not cost a store read and a decryption
 * each time. A hit compares the digest of the presented secret in constant time; a mismatch, a miss
 * or an expired entry takes the full path. Failures are never remembered. Whatever changes or removes
 * a credential must call {@link #invalidate}.
 */
public final class AuthService {
    private static final String PREFIX = "auth/";
    private static final byte[] SETUP_KEY = bytes(PREFIX + "setup");
    private static final byte[] KEY_CHECK = bytes(PREFIX + "key-check");
    private static final byte[] KEY_CHECK_PLAIN = bytes("tarn auth key check");

    private final KvStore kv;
    private final SecretBox box;
    private final Clock clock;
    /** Access key id -> a remembered verification (Caffeine: at most {@link #CACHE_MAX_ENTRIES}, TTL on the clock). */
    private final Cache<String, Verified> verified;
    /**
     * Access key id -> its user and decrypted secret, for AWS signature checks ({@link #secretOf}):
     * the same bound, TTL and invalidation as {@link #verified}.
     */
    private final Cache<String, KeySecret> secrets;
    private final long cacheTtlMillis;
    /** Counts {@link #invalidate} calls, so a verification racing with one is not remembered. */
    private final AtomicLong invalidations = new AtomicLong();
    private AuthDirectory directory;

    /** How long a successful verification is remembered (lakeFS's default auth cache TTL). */
    public static final Duration CACHE_TTL = Duration.ofSeconds(20);
    /** At most this many access keys are remembered; past that the least useful are forgotten. */
    static final int CACHE_MAX_ENTRIES = 4096;
    private static final MessageDigest SHA256_PROTOTYPE = sha256Prototype();

    /** A secret verified at some time: its digest, its user, and when the memory of it expires. */
    private record Verified(byte[] secretDigest, String userId, long expiresAtMillis) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StoredUser(@JsonProperty("id") String id, @JsonProperty("creation_date") long creationDate,
                      @JsonProperty("email") String email, @JsonProperty("friendly_name") String friendlyName) {
        StoredUser(String id, long creationDate) {
            this(id, creationDate, null, null);
        }
    }

    record StoredCredential(@JsonProperty("access_key_id") String accessKeyId, @JsonProperty("user_id") String userId,
                            @JsonProperty("secret") String sealedSecret,
                            @JsonProperty("creation_date") long creationDate) {}

    record SetupRecord(@JsonProperty("user") StoredUser user, @JsonProperty("credential") StoredCredential credential) {}

    /**
     * @throws IllegalStateException if the store was set up with another {@code auth.encrypt.secret_key}
     */
    public AuthService(KvStore kv, SecretBox box, Clock clock) {
        this(kv, box, clock, CACHE_TTL);
    }

    /** @param cacheTtl how long a successful verification is remembered ({@link Duration#ZERO}: never) */
    public AuthService(KvStore kv, SecretBox box, Clock clock, Duration cacheTtl) {
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative");
        }
        this.kv = kv;
        this.box = box;
        this.clock = clock;
        this.cacheTtlMillis = cacheTtl.toMillis();
        this.verified = keyCache(cacheTtl, clock);
        this.secrets = keyCache(cacheTtl, clock);
        checkKey();
        repairSetup();
        this.directory = new AuthDirectory(kv, this, clock, cacheTtl);
        directory.ensureDefaults();
    }

    /** The groups, policies and authorization over the same store. */
    public AuthDirectory directory() {
        return directory;
    }

    public AuthService(KvStore kv, SecretBox box) {
        this(kv, box, Clock.systemUTC());
    }

    /** A cache keyed by access key id: at most {@link #CACHE_MAX_ENTRIES}, each entry kept {@code ttl} after it was written. */
    private static <V> Cache<String, V> keyCache(Duration ttl, Clock clock) {
        return Caches.builder()
                .maximumSize(CACHE_MAX_ENTRIES)
                .expireAfterWrite(ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .recordStats()
                .build();
    }

    private void checkKey() {
        Optional<byte[]> check = kv.get(KEY_CHECK);
        if (check.isEmpty()) {
            CasOutcomes.compareAndSet(kv, KEY_CHECK, null, box.encrypt(KEY_CHECK_PLAIN, KEY_CHECK));
            check = kv.get(KEY_CHECK);
        }
        try {
            if (!MessageDigest.isEqual(box.decrypt(check.orElseThrow(), KEY_CHECK), KEY_CHECK_PLAIN)) {
                throw new SecretBox.WrongKeyException();
            }
        } catch (SecretBox.WrongKeyException e) {
            throw new IllegalStateException("auth.encrypt.secret_key is not the key this metadata store was set up"
                    + " with: its stored secrets cannot be read (use the original key)");
        }
    }

    /** A crash between the setup record and the user/key writes is finished on the next start. */
    private void repairSetup() {
        Optional<SetupRecord> setup = kv.get(SETUP_KEY).map(v -> read(v, SetupRecord.class));
        if (setup.isPresent() && kv.get(userKey(setup.get().user().id())).isEmpty()) {
            writeUserAndCredential(setup.get());
        }
    }

    /** True once the first admin exists. */
    public boolean isSetUp() {
        return kv.get(SETUP_KEY).isPresent();
    }

    /**
     * Creates the first admin user with a new access key.
     *
     * @throws InvalidArgumentException if the name is empty or not acceptable
     * @throws AlreadyExistsException   if the installation is already set up
     */
    public Credentials setup(String userName) {
        return setup(userName, AccessKeys.newAccessKeyId(), AccessKeys.newSecretAccessKey());
    }

    /** Creates the first admin user with the given access key, accepted as given. */
    public Credentials setup(String userName, String accessKeyId, String secretAccessKey) {
        checkNewKey(userName, accessKeyId, secretAccessKey);
        long now = clock.instant().getEpochSecond();
        StoredUser user = new StoredUser(userName, now);
        StoredCredential credential = sealed(userName, accessKeyId, secretAccessKey, now);
        SetupRecord record = new SetupRecord(user, credential);
        if (!CasOutcomes.compareAndSet(kv, SETUP_KEY, null, write(record))) {
            throw new AlreadyExistsException("Tarn is already set up: the first admin user exists");
        }
        writeUserAndCredential(record);
        directory.setUpDefaults(userName);
        return new Credentials(userName, accessKeyId, secretAccessKey, now);
    }

    private static void checkNewKey(String userName, String accessKeyId, String secretAccessKey) {
        checkUserName(userName);
        AccessKeys.checkAccessKeyId(accessKeyId);
        AccessKeys.checkSecret(secretAccessKey);
    }

    /** A credential record: the secret encrypted, bound to its access key id. */
    private StoredCredential sealed(String userName, String accessKeyId, String secretAccessKey, long now) {
        return new StoredCredential(accessKeyId, userName,
                Base64.getEncoder().encodeToString(box.encrypt(bytes(secretAccessKey), bytes(accessKeyId))), now);
    }

    /** {@link #superuser(String, String, String)} with a new access key. */
    public Credentials superuser(String userName) {
        return superuser(userName, AccessKeys.newAccessKeyId(), AccessKeys.newSecretAccessKey());
    }

    /**
     * Gives the admin {@code userName} the access key given (the CLI's {@code superuser}, e.g. when a
     * key was lost): creates the user if needed, or adds the key to the existing user; on a store
     * without an admin this is the {@link #setup}.
     *
     * @throws AlreadyExistsException   if that access key id exists already
     * @throws InvalidArgumentException if the name or the key is not acceptable
     */
    public Credentials superuser(String userName, String accessKeyId, String secretAccessKey) {
        checkNewKey(userName, accessKeyId, secretAccessKey);
        if (!isSetUp()) {
            try {
                return setup(userName, accessKeyId, secretAccessKey);
            } catch (AlreadyExistsException raced) {
                // set up meanwhile: add the key like on any set-up store
            }
        }
        long now = clock.instant().getEpochSecond();
        CasOutcomes.compareAndSet(kv, userKey(userName), null, write(new StoredUser(userName, now))); // kept if it exists
        StoredCredential credential = sealed(userName, accessKeyId, secretAccessKey, now);
        if (!CasOutcomes.compareAndSet(kv, credentialKey(accessKeyId), null, write(credential))) {
            throw new AlreadyExistsException("access key id " + accessKeyId + " exists already");
        }
        invalidate(accessKeyId);
        directory.makeAdmin(userName);
        return new Credentials(userName, accessKeyId, secretAccessKey, now);
    }

    /**
     * Installs the admin given by the {@code installation.*} settings: sets up if needed, and is a
     * no-op when this exact user and key were installed before (every later start).
     *
     * @return true if the user was created now
     * @throws IllegalStateException if the installation was set up with another user or key
     */
    public boolean install(String userName, String accessKeyId, String secretAccessKey) {
        Optional<byte[]> existing = kv.get(SETUP_KEY);
        if (existing.isEmpty()) {
            try {
                setup(userName, accessKeyId, secretAccessKey);
                return true;
            } catch (AlreadyExistsException raced) {
                existing = kv.get(SETUP_KEY);
            }
        }
        SetupRecord record = read(existing.orElseThrow(), SetupRecord.class);
        boolean same = record.user().id().equals(userName)
                && authenticate(accessKeyId, secretAccessKey).filter(userName::equals).isPresent();
        if (!same) {
            throw new IllegalStateException("this installation was already set up with admin user '"
                    + record.user().id() + "'; installation.user_name, installation.access_key_id and"
                    + " installation.secret_access_key must name that user and its key (or be left unset)");
        }
        return false;
    }

    /** The user id the access key belongs to, or empty if the key is unknown or the secret is wrong. */
    public Optional<String> authenticate(String accessKeyId, String secretAccessKey) {
        if (accessKeyId == null || secretAccessKey == null || accessKeyId.isEmpty() || accessKeyId.length() > 256) {
            return Optional.empty();
        }
        byte[] presented = bytes(secretAccessKey);
        byte[] presentedDigest = sha256(presented);
        Verified remembered = verified.getIfPresent(accessKeyId);
        if (remembered != null) {
            if (clock.millis() - remembered.expiresAtMillis() < 0
                    && MessageDigest.isEqual(remembered.secretDigest(), presentedDigest)) {
                return Optional.of(remembered.userId());
            }
            // expired, or another secret: forget it (only this entry) and verify against the store
            verified.asMap().remove(accessKeyId, remembered);
        }
        long invalidationsBefore = invalidations.get();
        Optional<String> userId = verify(accessKeyId, presented);
        if (userId.isPresent() && cacheTtlMillis > 0) {
            Verified entry = new Verified(presentedDigest, userId.get(), clock.millis() + cacheTtlMillis);
            verified.put(accessKeyId, entry);
            if (invalidations.get() != invalidationsBefore) {
                // a credential changed while this one was read: what was read may be stale
                verified.asMap().remove(accessKeyId, entry);
            }
        }
        return userId;
    }

    /** The full path: read the stored credential, decrypt its secret, compare in constant time. */
    private Optional<String> verify(String accessKeyId, byte[] presented) {
        Optional<byte[]> stored = kv.get(credentialKey(accessKeyId));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredCredential credential = read(stored.get(), StoredCredential.class);
        byte[] secret;
        try {
            secret = box.decrypt(Base64.getDecoder().decode(credential.sealedSecret()), bytes(accessKeyId));
        } catch (SecretBox.WrongKeyException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(secret, presented) ? Optional.of(credential.userId()) : Optional.empty();
    }

    /** An access key's user and its secret in plain text (for signature checks; never logged). */
    public record KeySecret(String userId, String secretAccessKey) {
        @Override
        public String toString() {
            return "KeySecret[userId=" + userId + ", secretAccessKey=***]";
        }
    }

    /**
     * The user and the decrypted secret of an access key, for checking request signatures that are
     * computed from the secret (AWS SigV4/SigV2); empty if the key is unknown or its secret does not
     * decrypt with this store's key. Found secrets are remembered like verifications (at most
     * {@link #CACHE_MAX_ENTRIES} keys for the cache TTL, dropped by {@link #invalidate}), so a client
     * signing every request with the same key costs no store read and no decryption each time. The
     * secret is held in this process's memory only as long as the key that decrypts every stored
     * secret already is; misses and unknown keys are never remembered.
     */
    public Optional<KeySecret> secretOf(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.isEmpty() || accessKeyId.length() > 256) {
            return Optional.empty();
        }
        KeySecret remembered = secrets.getIfPresent(accessKeyId);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        long invalidationsBefore = invalidations.get();
        Optional<KeySecret> found = readSecret(accessKeyId);
        if (found.isPresent() && cacheTtlMillis > 0) {
            secrets.put(accessKeyId, found.get());
            if (invalidations.get() != invalidationsBefore) {
                // a credential changed while this one was read: what was read may be stale
                secrets.asMap().remove(accessKeyId, found.get());
            }
        }
        return found;
    }

    private Optional<KeySecret> readSecret(String accessKeyId) {
        Optional<byte[]> stored = kv.get(credentialKey(accessKeyId));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredCredential credential = read(stored.get(), StoredCredential.class);
        try {
            byte[] secret = box.decrypt(Base64.getDecoder().decode(credential.sealedSecret()), bytes(accessKeyId));
            return Optional.of(new KeySecret(credential.userId(), new String(secret, StandardCharsets.UTF_8)));
        } catch (SecretBox.WrongKeyException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Forgets any remembered verification of this access key: the next request with it is checked
     * against the store. Must be called by everything that changes or removes a credential.
     */
    public void invalidate(String accessKeyId) {
        invalidations.incrementAndGet();
        verified.invalidate(accessKeyId);
        secrets.invalidate(accessKeyId);
    }

    /** Number of remembered secrets (for tests). */
    int cachedSecrets() {
        secrets.cleanUp();
        return (int) secrets.estimatedSize();
    }

    /** Number of remembered verifications (for tests). */
    int cachedVerifications() {
        verified.cleanUp();
        return (int) verified.estimatedSize();
    }

    /** The caches of verified credentials and of effective policies, by metric name, recording statistics. */
    public Map<String, Cache<?, ?>> caches() {
        Map<String, Cache<?, ?>> caches = new java.util.LinkedHashMap<>();
        caches.put("tarn.auth.credentials", verified);
        caches.put("tarn.auth.secrets", secrets);
        caches.putAll(directory.caches());
        return caches;
    }

    private static byte[] sha256(byte[] data) {
        try {
            MessageDigest digest = (MessageDigest) SHA256_PROTOTYPE.clone();
            return digest.digest(data);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256Prototype() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.clone(); // fail early if this provider's digest cannot be cloned
            return digest;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 with clone() is required", e);
        }
    }

    /** A key for {@code purpose} derived from {@code auth.encrypt.secret_key} (see {@link SecretBox#deriveKey}). */
    public byte[] derivedKey(String purpose) {
        return box.deriveKey(purpose);
    }

    /** @throws NotFoundException if there is no such user */
    public User getUser(String id) {
        StoredUser user = kv.get(userKey(id)).map(v -> read(v, StoredUser.class))
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.USER, id));
        return new User(user.id(), user.creationDate(), user.email(), user.friendlyName());
    }

    /** True if the user exists. */
    public boolean userExists(String id) {
        return kv.get(userKey(id)).isPresent();
    }

    /**
     * Creates a user without credentials.
     *
     * @throws AlreadyExistsException   if it exists
     * @throws InvalidArgumentException if the name is not acceptable
     */
    public User createUser(String id, String email, String friendlyName) {
        checkUserName(id);
        long now = clock.instant().getEpochSecond();
        StoredUser user = new StoredUser(id, now, email, friendlyName);
        if (!CasOutcomes.compareAndSet(kv, userKey(id), null, write(user))) {
            throw new AlreadyExistsException("user " + id + " exists already");
        }
        return new User(id, now, email, friendlyName);
    }

    /** A page of users ordered by id, after {@code after} (exclusive). */
    public Page<User> listUsers(String after, int amount) {
        return page(bytes(PREFIX + "users/"), after, amount, (id, value) -> {
            StoredUser user = read(value, StoredUser.class);
            return new User(user.id(), user.creationDate(), user.email(), user.friendlyName());
        }, User::id);
    }

    /** Removes the user record and every access key of the user (each forgotten by the cache at once). */
    void deleteUserAndCredentials(String id) {
        KvBatch batch = new KvBatch().delete(userKey(id));
        List<String> keys = new ArrayList<>();
        for (AccessKey key : allCredentials(id)) {
            batch.delete(credentialKey(key.accessKeyId()));
            keys.add(key.accessKeyId());
        }
        kv.write(batch);
        keys.forEach(this::invalidate);
    }

    /** An access key without its secret. */
    public record AccessKey(String accessKeyId, String userId, long creationDate) {}

    /**
     * A new access key (lakeFS's format) for an existing user; the secret is returned only here.
     *
     * @throws NotFoundException if there is no such user
     */
    public Credentials createCredentials(String userId) {
        getUser(userId);
        long now = clock.instant().getEpochSecond();
        for (int attempt = 0; ; attempt++) {
            String accessKeyId = AccessKeys.newAccessKeyId();
            String secret = AccessKeys.newSecretAccessKey();
            if (CasOutcomes.compareAndSet(kv, credentialKey(accessKeyId), null,
                    write(sealed(userId, accessKeyId, secret, now)))) {
                invalidate(accessKeyId);
                return new Credentials(userId, accessKeyId, secret, now);
            }
            if (attempt > 3) {
                throw new IllegalStateException("could not find a free access key id");
            }
        }
    }

    /** The access keys of a user, ordered by access key id (a scan of every key: there are few). */
    public Page<AccessKey> listCredentials(String userId, String after, int amount) {
        getUser(userId);
        List<AccessKey> all = allCredentials(userId);
        List<AccessKey> after0 = all.stream().filter(k -> after == null || after.isEmpty()
                || k.accessKeyId().compareTo(after) > 0).toList();
        boolean more = after0.size() > amount;
        List<AccessKey> items = more ? after0.subList(0, amount) : after0;
        return new Page<>(List.copyOf(items), more, more ? items.getLast().accessKeyId() : "");
    }

    private List<AccessKey> allCredentials(String userId) {
        List<AccessKey> keys = new ArrayList<>();
        byte[] prefix = bytes(PREFIX + "credentials/");
        try (KvIterator it = kv.scan(prefix, null)) {
            while (it.hasNext()) {
                StoredCredential credential = read(it.next().value(), StoredCredential.class);
                if (credential.userId().equals(userId)) {
                    keys.add(new AccessKey(credential.accessKeyId(), credential.userId(), credential.creationDate()));
                }
            }
        }
        return keys;
    }

    /** @throws NotFoundException if the user has no such access key */
    public AccessKey getCredentials(String userId, String accessKeyId) {
        getUser(userId);
        return kv.get(credentialKey(accessKeyId)).map(v -> read(v, StoredCredential.class))
                .filter(c -> c.userId().equals(userId))
                .map(c -> new AccessKey(c.accessKeyId(), c.userId(), c.creationDate()))
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.CREDENTIALS, accessKeyId));
    }

    /**
     * Deletes an access key: it stops working at once on this server (its cached verification is
     * dropped), within {@link #CACHE_TTL} on others sharing the store.
     *
     * @throws NotFoundException if the user has no such access key
     */
    public void deleteCredentials(String userId, String accessKeyId) {
        getCredentials(userId, accessKeyId);
        kv.delete(credentialKey(accessKeyId));
        invalidate(accessKeyId);
    }

    /** Every user id (for the checks that keep an admin). */
    List<String> allUserIds() {
        List<String> ids = new ArrayList<>();
        byte[] prefix = bytes(PREFIX + "users/");
        try (KvIterator it = kv.scan(prefix, null)) {
            while (it.hasNext()) {
                ids.add(new String(it.next().key(), StandardCharsets.UTF_8).substring(PREFIX.length() + "users/".length()));
            }
        }
        return ids;
    }

    /** The id of the user made by the setup, if set up. */
    Optional<String> setupUser() {
        return kv.get(SETUP_KEY).map(v -> read(v, SetupRecord.class).user().id());
    }

    /** A page of the records under {@code prefix} (whose key suffix is the id), after {@code after}. */
    <T> Page<T> page(byte[] prefix, String after, int amount, java.util.function.BiFunction<String, byte[], T> decode,
                     java.util.function.Function<T, String> idOf) {
        byte[] from = after == null || after.isEmpty() ? null : concat(prefix, bytes(after));
        List<T> items = new ArrayList<>();
        boolean more = false;
        int cut = new String(prefix, StandardCharsets.UTF_8).length();
        try (KvIterator it = kv.scan(prefix, from)) {
            while (it.hasNext()) {
                io.tarn.kv.KvEntry entry = it.next();
                String id = new String(entry.key(), StandardCharsets.UTF_8).substring(cut);
                if (after != null && !after.isEmpty() && id.equals(after)) {
                    continue;
                }
                if (items.size() == amount) {
                    more = true;
                    break;
                }
                items.add(decode.apply(id, entry.value()));
            }
        }
        return new Page<>(List.copyOf(items), more, more ? idOf.apply(items.getLast()) : "");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void writeUserAndCredential(SetupRecord record) {
        kv.write(new KvBatch()
                .put(userKey(record.user().id()), write(record.user()))
                .put(credentialKey(record.credential().accessKeyId()), write(record.credential())));
        invalidate(record.credential().accessKeyId());
    }

    private static void checkUserName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("username must not be empty");
        }
        if (name.length() > 256) {
            throw new InvalidArgumentException("username is too long (at most 256 characters)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidArgumentException("username must not hold control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidArgumentException("username is not valid UTF-8 (it holds an unpaired surrogate)");
            }
        }
    }

    private static byte[] userKey(String id) {
        return bytes(PREFIX + "users/" + id);
    }

    private static byte[] credentialKey(String accessKeyId) {
        return bytes(PREFIX + "credentials/" + accessKeyId);
    }

    private static byte[] bytes(String s) {
        return AuthRecords.key(s);
    }

    private static byte[] write(Object value) {
        return AuthRecords.write(value);
    }

    private static <T> T read(byte[] value, Class<T> type) {
        return AuthRecords.read(value, type);
    }
}
