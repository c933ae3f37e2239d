package io.tarn.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.benmanes.caffeine.cache.Cache;
import io.tarn.auth.policy.Actions;
import io.tarn.auth.policy.CompiledPolicies;
import io.tarn.auth.policy.Decision;
import io.tarn.auth.policy.DefaultPolicies;
import io.tarn.auth.policy.Effect;
import io.tarn.auth.policy.Permission;
import io.tarn.auth.policy.Policy;
import io.tarn.auth.policy.PolicyEvaluator;
import io.tarn.auth.policy.Statement;
import io.tarn.engine.model.Page;
import io.tarn.error.AccessDeniedException;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.kv.CasOutcomes;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.util.Caches;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Groups, policies, group memberships and policy attachments, kept in the metadata store next to the
 * users and access keys of {@link AuthService}, and the authorization of requests by them.
 *
 * <p>Keys ({@code SEP} is U+0001, which no user, group or policy id may hold):
 * {@code auth/groups/<group>}, {@code auth/policies/<policy>}, {@code auth/group-members/<group>SEP<user>}
 * with its mirror {@code auth/user-groups/<user>SEP<group>} (written in one batch),
 * {@code auth/user-policies/<user>SEP<policy>}, {@code auth/group-policies/<group>SEP<policy>},
 * {@code auth/defaults} (the default groups and policies exist).
 *
 * <p>Authorization reads a user's effective policies (its own and its groups') from the store once,
 * compiles them ({@link CompiledPolicies}: per action, the resources allowed and denied) and remembers
 * that for at most {@link #CACHE_TTL}; every change made through this class forgets all of them at
 * once, so on this server a change applies to the next request, and on other servers sharing the
 * store within {@link #CACHE_TTL}.
 *
 * <p>Changes that would leave an installation that has an admin without any are refused. An admin is
 * a user whose policies allow {@code auth:AttachPolicy}, {@code auth:AddGroupMember} and
 * {@code auth:CreateCredentials} on every resource (as {@code AuthFullAccess} does).
 */
public final class AuthDirectory {
    private static final String PREFIX = "auth/";
    private static final char SEP = '\u0001';
    private static final byte[] DEFAULTS_KEY = bytes(PREFIX + "defaults");
    private static final byte[] MARK = bytes("{}");
    /** How long a user's effective policies are remembered (the bound for changes made on another server). */
    public static final Duration CACHE_TTL = AuthService.CACHE_TTL;
    private static final List<Permission> ADMIN_PERMISSIONS = List.of(
            new Permission(Actions.ATTACH_POLICY, "*"), new Permission(Actions.ADD_GROUP_MEMBER, "*"),
            new Permission(Actions.CREATE_CREDENTIALS, "*"));

    private final KvStore kv;
    private final AuthService auth;
    private final Clock clock;
    /** User id -> its compiled effective policies. */
    private final Cache<String, CompiledPolicies> effective;
    private final AtomicLong changes = new AtomicLong();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StoredGroup(@JsonProperty("id") String id, @JsonProperty("creation_date") long creationDate,
                       @JsonProperty("description") String description) {}

    record StoredStatement(@JsonProperty("effect") String effect, @JsonProperty("action") List<String> action,
                           @JsonProperty("resource") String resource) {}

    record StoredPolicy(@JsonProperty("id") String id, @JsonProperty("creation_date") long creationDate,
                        @JsonProperty("statement") List<StoredStatement> statement) {}

    /** @param cacheTtl how long effective policies are remembered ({@link Duration#ZERO}: never) */
    AuthDirectory(KvStore kv, AuthService auth, Clock clock, Duration cacheTtl) {
        this.kv = kv;
        this.auth = auth;
        this.clock = clock;
        this.effective = Caches.builder()
                .maximumSize(4096)
                .expireAfterWrite(cacheTtl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .recordStats()
                .build();
    }

    /** The cache of compiled effective policies, by metric name. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("tarn.auth.policies", effective);
    }

    // ---- the default groups and policies ----

    /**
     * Creates lakeFS's default groups and policies where missing, once per store. On a store set up
     * before groups existed, every existing user (each was an admin then) joins {@code Admins}.
     */
    void ensureDefaults() {
        if (kv.get(DEFAULTS_KEY).isPresent() || !auth.isSetUp()) {
            return;
        }
        createDefaults();
        for (String user : auth.allUserIds()) {
            addMemberUnchecked(DefaultPolicies.ADMINS, user);
        }
        CasOutcomes.compareAndSet(kv, DEFAULTS_KEY, null, MARK);
        changed();
    }

    /** After the setup: the default groups and policies, and the first user in {@code Admins}. */
    void setUpDefaults(String adminUser) {
        createDefaults();
        addMemberUnchecked(DefaultPolicies.ADMINS, adminUser);
        CasOutcomes.compareAndSet(kv, DEFAULTS_KEY, null, MARK);
        changed();
    }

    private void createDefaults() {
        long now = clock.instant().getEpochSecond();
        DefaultPolicies.POLICIES.forEach((id, statements) ->
                CasOutcomes.compareAndSet(kv, policyKey(id), null, write(stored(new Policy(id, now, statements)))));
        DefaultPolicies.GROUPS.forEach((group, policies) -> {
            CasOutcomes.compareAndSet(kv, groupKey(group), null, write(new StoredGroup(group, now, null)));
            for (String policy : policies) {
                kv.put(pairKey("group-policies/", group, policy), MARK);
            }
        });
    }

    /** The user joins {@code Admins} (the CLI's superuser); the defaults are created if missing. */
    void makeAdmin(String userName) {
        ensureDefaults();
        createDefaults();
        addMemberUnchecked(DefaultPolicies.ADMINS, userName);
        CasOutcomes.compareAndSet(kv, DEFAULTS_KEY, null, MARK);
        changed();
    }

    // ---- authorization ----

    /** The decision for a request of {@code userId} needing every one of {@code required}. */
    public Decision decide(String userId, List<Permission> required) {
        if (required.isEmpty()) {
            return Decision.ALLOWED;
        }
        return compiled(userId).decide(required);
    }

    /** @throws AccessDeniedException naming the first permission not granted */
    public void authorize(String userId, List<Permission> required) {
        if (decide(userId, required) instanceof Decision.Denied denied) {
            throw new AccessDeniedException(denied.message(userId));
        }
    }

    /** The policies attached to the user and to its groups (remembered for at most {@link #CACHE_TTL}). */
    public List<Policy> effectivePolicies(String userId) {
        return compiled(userId).policies();
    }

    /**
     * The user's effective policies, compiled: remembered for at most {@link #CACHE_TTL}, forgotten at
     * once by every change made here. A set read while a change was made here is used for this request
     * only (it may predate the change), never remembered.
     */
    private CompiledPolicies compiled(String userId) {
        CompiledPolicies remembered = effective.getIfPresent(userId);
        if (remembered != null) {
            return remembered;
        }
        long before = changes.get();
        CompiledPolicies loaded = CompiledPolicies.of(userId, loadEffective(userId));
        effective.put(userId, loaded);
        if (changes.get() != before) {
            effective.asMap().remove(userId, loaded); // changed while reading: do not keep what may be stale
        }
        return loaded;
    }

    private List<Policy> loadEffective(String userId) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        for (String policy : seconds("user-policies/", userId)) {
            readPolicy(policy).ifPresent(p -> policies.putIfAbsent(p.id(), p));
        }
        for (String group : seconds("user-groups/", userId)) {
            for (String policy : seconds("group-policies/", group)) {
                readPolicy(policy).ifPresent(p -> policies.putIfAbsent(p.id(), p));
            }
        }
        return List.copyOf(policies.values());
    }

    private void changed() {
        changes.incrementAndGet();
        effective.invalidateAll();
    }

    // ---- users ----

    public User createUser(String id, String email, String friendlyName) {
        return auth.createUser(id, email, friendlyName);
    }

    /**
     * Deletes a user with its access keys, memberships and attachments.
     *
     * @throws NotFoundException        if there is no such user
     * @throws InvalidArgumentException if it is the last admin
     */
    public void deleteUser(String id) {
        auth.getUser(id);
        keepAnAdmin(model -> model.users.remove(id), "deleting user " + id);
        KvBatch batch = new KvBatch();
        for (String group : seconds("user-groups/", id)) {
            batch.delete(pairKey("user-groups/", id, group)).delete(pairKey("group-members/", group, id));
        }
        for (String policy : seconds("user-policies/", id)) {
            batch.delete(pairKey("user-policies/", id, policy));
        }
        kv.write(batch);
        auth.deleteUserAndCredentials(id);
        changed();
    }

    // ---- groups ----

    public Group createGroup(String id, String description) {
        checkId(id, "group");
        long now = clock.instant().getEpochSecond();
        if (!CasOutcomes.compareAndSet(kv, groupKey(id), null, write(new StoredGroup(id, now, description)))) {
            throw new AlreadyExistsException("group " + id + " exists already");
        }
        return new Group(id, now, description);
    }

    public Group getGroup(String id) {
        StoredGroup group = kv.get(groupKey(id)).map(v -> read(v, StoredGroup.class))
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.GROUP, id));
        return new Group(group.id(), group.creationDate(), group.description());
    }

    public Page<Group> listGroups(String after, int amount) {
        return auth.page(bytes(PREFIX + "groups/"), after, amount, (id, value) -> {
            StoredGroup group = read(value, StoredGroup.class);
            return new Group(group.id(), group.creationDate(), group.description());
        }, Group::id);
    }

    /** @throws InvalidArgumentException if that would leave no admin */
    public void deleteGroup(String id) {
        getGroup(id);
        keepAnAdmin(model -> model.userGroups.values().forEach(groups -> groups.remove(id)), "deleting group " + id);
        KvBatch batch = new KvBatch().delete(groupKey(id));
        for (String user : seconds("group-members/", id)) {
            batch.delete(pairKey("group-members/", id, user)).delete(pairKey("user-groups/", user, id));
        }
        for (String policy : seconds("group-policies/", id)) {
            batch.delete(pairKey("group-policies/", id, policy));
        }
        kv.write(batch);
        changed();
    }

    public void addMember(String group, String user) {
        getGroup(group);
        auth.getUser(user);
        keepAnAdmin(model -> model.userGroups.computeIfAbsent(user, u -> new HashSet<>()).add(group),
                "adding user " + user + " to group " + group);
        addMemberUnchecked(group, user);
        changed();
    }

    private void addMemberUnchecked(String group, String user) {
        kv.write(new KvBatch().put(pairKey("group-members/", group, user), MARK)
                .put(pairKey("user-groups/", user, group), MARK));
    }

    /** @throws NotFoundException if the user is not a member of the group */
    public void removeMember(String group, String user) {
        getGroup(group);
        if (kv.get(pairKey("group-members/", group, user)).isEmpty()) {
            throw new NotFoundException(NotFoundException.Kind.USER, user + " (not a member of group " + group + ")");
        }
        keepAnAdmin(model -> model.userGroups.getOrDefault(user, new HashSet<>()).remove(group),
                "removing user " + user + " from group " + group);
        kv.write(new KvBatch().delete(pairKey("group-members/", group, user))
                .delete(pairKey("user-groups/", user, group)));
        changed();
    }

    public Page<User> listMembers(String group, String after, int amount) {
        getGroup(group);
        return pageOfSeconds("group-members/", group, after, amount, auth::getUser, User::id);
    }

    public Page<Group> listUserGroups(String user, String after, int amount) {
        auth.getUser(user);
        return pageOfSeconds("user-groups/", user, after, amount, this::getGroup, Group::id);
    }

    // ---- policies ----

    /**
     * The policy a client sent, checked: an id, at least one statement, each with an effect
     * ({@code allow}/{@code deny}), known actions and a resource.
     *
     * @throws InvalidArgumentException naming what is wrong
     */
    public static Policy checkedPolicy(String id, List<StatementInput> statements, long creationDate) {
        checkId(id, "policy");
        if (statements == null || statements.isEmpty()) {
            throw new InvalidArgumentException("policy " + id + " must have at least one statement");
        }
        List<Statement> checked = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            StatementInput in = statements.get(i);
            String where = "statement " + (i + 1) + " of policy " + id;
            if (in == null) {
                throw new InvalidArgumentException(where + " is empty");
            }
            Effect effect;
            try {
                effect = Effect.of(in.effect());
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException(where + ": " + e.getMessage());
            }
            if (in.actions() == null || in.actions().isEmpty()) {
                throw new InvalidArgumentException(where + ": action must name at least one action");
            }
            for (String action : in.actions()) {
                try {
                    Actions.check(action);
                } catch (IllegalArgumentException e) {
                    throw new InvalidArgumentException(where + ": " + e.getMessage());
                }
            }
            if (in.resource() == null || in.resource().isEmpty()) {
                throw new InvalidArgumentException(where + ": resource must not be empty");
            }
            checked.add(new Statement(effect, in.actions(), in.resource()));
        }
        return new Policy(id, creationDate, checked);
    }

    /** A statement as a client sent it, before it is checked. */
    public record StatementInput(String effect, List<String> actions, String resource) {}

    public Policy createPolicy(String id, List<StatementInput> statements) {
        Policy policy = checkedPolicy(id, statements, clock.instant().getEpochSecond());
        if (!CasOutcomes.compareAndSet(kv, policyKey(id), null, write(stored(policy)))) {
            throw new AlreadyExistsException("policy " + id + " exists already");
        }
        return policy;
    }

    /** Replaces the statements of a policy (its creation date is kept). */
    public Policy updatePolicy(String id, List<StatementInput> statements) {
        Policy old = getPolicy(id);
        Policy policy = checkedPolicy(id, statements, old.creationDate());
        keepAnAdmin(model -> model.policies.put(id, policy), "updating policy " + id);
        kv.put(policyKey(id), write(stored(policy)));
        changed();
        return policy;
    }

    public Policy getPolicy(String id) {
        return readPolicy(id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.POLICY, id));
    }

    public Page<Policy> listPolicies(String after, int amount) {
        return auth.page(bytes(PREFIX + "policies/"), after, amount, (id, value) -> policy(read(value, StoredPolicy.class)),
                Policy::id);
    }

    /** Deletes a policy and detaches it from every user and group. */
    public void deletePolicy(String id) {
        getPolicy(id);
        keepAnAdmin(model -> model.policies.remove(id), "deleting policy " + id);
        KvBatch batch = new KvBatch().delete(policyKey(id));
        for (String prefix : List.of("user-policies/", "group-policies/")) {
            byte[] scanPrefix = bytes(PREFIX + prefix);
            try (KvIterator it = kv.scan(scanPrefix, null)) {
                while (it.hasNext()) {
                    byte[] key = it.next().key();
                    String pair = new String(key, StandardCharsets.UTF_8);
                    if (pair.endsWith(SEP + id)) {
                        batch.delete(key);
                    }
                }
            }
        }
        kv.write(batch);
        changed();
    }

    public void attachToUser(String user, String policy) {
        auth.getUser(user);
        Policy attached = getPolicy(policy);
        keepAnAdmin(model -> model.userPolicies.computeIfAbsent(user, u -> new HashSet<>()).add(attached.id()),
                "attaching policy " + policy + " to user " + user);
        kv.put(pairKey("user-policies/", user, policy), MARK);
        changed();
    }

    public void detachFromUser(String user, String policy) {
        auth.getUser(user);
        getPolicy(policy);
        if (kv.get(pairKey("user-policies/", user, policy)).isEmpty()) {
            throw new NotFoundException(NotFoundException.Kind.POLICY, policy + " (not attached to user " + user + ")");
        }
        keepAnAdmin(model -> model.userPolicies.getOrDefault(user, new HashSet<>()).remove(policy),
                "detaching policy " + policy + " from user " + user);
        kv.delete(pairKey("user-policies/", user, policy));
        changed();
    }

    public void attachToGroup(String group, String policy) {
        getGroup(group);
        getPolicy(policy);
        keepAnAdmin(model -> model.groupPolicies.computeIfAbsent(group, g -> new HashSet<>()).add(policy),
                "attaching policy " + policy + " to group " + group);
        kv.put(pairKey("group-policies/", group, policy), MARK);
        changed();
    }

    public void detachFromGroup(String group, String policy) {
        getGroup(group);
        getPolicy(policy);
        if (kv.get(pairKey("group-policies/", group, policy)).isEmpty()) {
            throw new NotFoundException(NotFoundException.Kind.POLICY, policy + " (not attached to group " + group + ")");
        }
        keepAnAdmin(model -> model.groupPolicies.getOrDefault(group, new HashSet<>()).remove(policy),
                "detaching policy " + policy + " from group " + group);
        kv.delete(pairKey("group-policies/", group, policy));
        changed();
    }

    /**
     * The policies of a user: attached to it, or with {@code effective} also those of its groups
     * (each once, ordered by id).
     */
    public Page<Policy> listUserPolicies(String user, boolean effectiveToo, String after, int amount) {
        auth.getUser(user);
        if (!effectiveToo) {
            return pageOfSeconds("user-policies/", user, after, amount, this::getPolicy, Policy::id);
        }
        TreeSet<String> ids = new TreeSet<>(seconds("user-policies/", user));
        for (String group : seconds("user-groups/", user)) {
            ids.addAll(seconds("group-policies/", group));
        }
        List<Policy> all = new ArrayList<>();
        for (String id : after == null || after.isEmpty() ? ids : ids.tailSet(after, false)) {
            readPolicy(id).ifPresent(all::add);
            if (all.size() > amount) {
                break;
            }
        }
        boolean more = all.size() > amount;
        List<Policy> items = more ? all.subList(0, amount) : all;
        return new Page<>(List.copyOf(items), more, more ? items.getLast().id() : "");
    }

    public Page<Policy> listGroupPolicies(String group, String after, int amount) {
        getGroup(group);
        return pageOfSeconds("group-policies/", group, after, amount, this::getPolicy, Policy::id);
    }

    // ---- keeping an admin ----

    /** Everything that decides who is an admin, read whole (auth data is small). */
    private static final class Model {
        final Set<String> users = new HashSet<>();
        final Map<String, Set<String>> userGroups = new HashMap<>();
        final Map<String, Set<String>> userPolicies = new HashMap<>();
        final Map<String, Set<String>> groupPolicies = new HashMap<>();
        final Map<String, Policy> policies = new HashMap<>();

        Set<String> admins() {
            Set<String> admins = new TreeSet<>();
            for (String user : users) {
                List<Policy> mine = new ArrayList<>();
                for (String p : userPolicies.getOrDefault(user, Set.of())) {
                    if (policies.containsKey(p)) {
                        mine.add(policies.get(p));
                    }
                }
                for (String g : userGroups.getOrDefault(user, Set.of())) {
                    for (String p : groupPolicies.getOrDefault(g, Set.of())) {
                        if (policies.containsKey(p)) {
                            mine.add(policies.get(p));
                        }
                    }
                }
                if (PolicyEvaluator.evaluate(mine, ADMIN_PERMISSIONS, user).allowed()) {
                    admins.add(user);
                }
            }
            return admins;
        }
    }

    private Model model() {
        Model model = new Model();
        model.users.addAll(auth.allUserIds());
        pairs("user-groups/", model.userGroups);
        pairs("user-policies/", model.userPolicies);
        pairs("group-policies/", model.groupPolicies);
        try (KvIterator it = kv.scan(bytes(PREFIX + "policies/"), null)) {
            while (it.hasNext()) {
                Policy policy = policy(read(it.next().value(), StoredPolicy.class));
                model.policies.put(policy.id(), policy);
            }
        }
        return model;
    }

    private void pairs(String prefix, Map<String, Set<String>> into) {
        byte[] scanPrefix = bytes(PREFIX + prefix);
        try (KvIterator it = kv.scan(scanPrefix, null)) {
            while (it.hasNext()) {
                String pair = new String(it.next().key(), StandardCharsets.UTF_8).substring((PREFIX + prefix).length());
                int sep = pair.indexOf(SEP);
                into.computeIfAbsent(pair.substring(0, sep), k -> new HashSet<>()).add(pair.substring(sep + 1));
            }
        }
    }

    /**
     * Refuses a change that would leave no admin where there is one (checked on the state read now:
     * two concurrent changes on different servers are not serialised against each other).
     */
    private void keepAnAdmin(Consumer<Model> change, String what) {
        Model model = model();
        if (model.admins().isEmpty()) {
            return;
        }
        change.accept(model);
        if (model.admins().isEmpty()) {
            throw new InvalidArgumentException(what + " is refused: it would leave no admin (a user allowed"
                    + " auth:* on every resource, e.g. through the Admins group)");
        }
    }

    // ---- store helpers ----

    /** The second ids of the pairs {@code prefix<first>SEP<second>}. */
    private List<String> seconds(String prefix, String first) {
        byte[] scanPrefix = bytes(PREFIX + prefix + first + SEP);
        List<String> out = new ArrayList<>();
        try (KvIterator it = kv.scan(scanPrefix, null)) {
            while (it.hasNext()) {
                out.add(new String(it.next().key(), StandardCharsets.UTF_8).substring(
                        new String(scanPrefix, StandardCharsets.UTF_8).length()));
            }
        }
        return out;
    }

    private <T> Page<T> pageOfSeconds(String prefix, String first, String after, int amount,
                                      java.util.function.Function<String, T> load,
                                      java.util.function.Function<T, String> idOf) {
        return auth.page(bytes(PREFIX + prefix + first + SEP), after, amount, (id, value) -> load.apply(id), idOf);
    }

    private java.util.Optional<Policy> readPolicy(String id) {
        return kv.get(policyKey(id)).map(v -> policy(read(v, StoredPolicy.class)));
    }

    private static Policy policy(StoredPolicy stored) {
        List<Statement> statements = new ArrayList<>();
        for (StoredStatement s : stored.statement()) {
            statements.add(new Statement(Effect.of(s.effect()), s.action(), s.resource()));
        }
        return new Policy(stored.id(), stored.creationDate(), statements);
    }

    private static StoredPolicy stored(Policy policy) {
        List<StoredStatement> statements = new ArrayList<>();
        for (Statement s : policy.statements()) {
            statements.add(new StoredStatement(s.effect().word(), s.actions(), s.resource()));
        }
        return new StoredPolicy(policy.id(), policy.creationDate(), statements);
    }

    /** Group and policy ids: lakeFS's characters (letters, digits and {@code _+=,.@-}), 1 to 256 of them. */
    static void checkId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new InvalidArgumentException(what + " id must not be empty");
        }
        if (id.length() > 256) {
            throw new InvalidArgumentException(what + " id is too long (at most 256 characters)");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_+=,.@-".indexOf(c) >= 0;
            if (!ok) {
                throw new InvalidArgumentException(what + " id may only hold letters, digits and _+=,.@- : \"" + id + "\"");
            }
        }
    }

    private static byte[] groupKey(String id) {
        return bytes(PREFIX + "groups/" + id);
    }

    private static byte[] policyKey(String id) {
        return bytes(PREFIX + "policies/" + id);
    }

    private static byte[] pairKey(String prefix, String first, String second) {
        return bytes(PREFIX + prefix + first + SEP + second);
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
