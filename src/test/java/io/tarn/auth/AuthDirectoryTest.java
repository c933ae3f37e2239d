package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.auth.policy.Arns;
import io.tarn.auth.policy.DefaultPolicies;
import io.tarn.auth.policy.Permission;
import io.tarn.auth.policy.Policy;
import io.tarn.error.AccessDeniedException;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.kv.KvStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Groups, policies, memberships and their authorization, on the in-memory store. */
class AuthDirectoryTest {
    private static final SecretBox BOX = new SecretBox("test-secret-key");
    private KvStore kv;
    private AuthService auth;
    private AuthDirectory dir;

    @BeforeEach
    void setUp() {
        kv = new MemoryKvStore();
        auth = new AuthService(kv, BOX);
        dir = auth.directory();
        auth.setup("admin");
    }

    private boolean can(String user, String action, String resource) {
        return dir.decide(user, List.of(new Permission(action, resource))).allowed();
    }

    private static AuthDirectory.StatementInput st(String effect, String resource, String... actions) {
        return new AuthDirectory.StatementInput(effect, List.of(actions), resource);
    }

    @Test
    void setupCreatesTheDefaultsWithTheFirstUserInAdmins() {
        assertThat(dir.listGroups("", 100).items()).extracting(Group::id)
                .containsExactly("Admins", "Developers", "SuperUsers", "Viewers");
        assertThat(dir.listPolicies("", 100).items()).extracting(Policy::id)
                .containsExactlyInAnyOrderElementsOf(DefaultPolicies.POLICIES.keySet());
        assertThat(dir.listMembers("Admins", "", 100).items()).extracting(User::id).containsExactly("admin");
        assertThat(can("admin", "auth:DeleteUser", Arns.user("x"))).isTrue();
        assertThat(can("admin", "fs:WriteObject", Arns.object("r", "p"))).isTrue();
    }

    @Test
    void rolesThroughGroups() {
        for (String group : List.of("Viewers", "Developers", "SuperUsers")) {
            dir.createUser(group.toLowerCase(), null, null);
            dir.addMember(group, group.toLowerCase());
        }
        dir.createUser("nobody", null, null);
        String object = Arns.object("repo", "a.txt");
        assertThat(can("viewers", "fs:ReadObject", object)).isTrue();
        assertThat(can("viewers", "fs:WriteObject", object)).isFalse();
        assertThat(can("developers", "fs:WriteObject", object)).isTrue();
        assertThat(can("developers", "fs:CreateRepository", Arns.repository("r"))).isFalse();
        assertThat(can("superusers", "fs:CreateRepository", Arns.repository("r"))).isTrue();
        assertThat(can("superusers", "auth:CreateUser", Arns.user("x"))).isFalse();
        assertThat(can("superusers", "auth:CreateCredentials", Arns.user("superusers"))).isTrue();
        assertThat(can("superusers", "auth:CreateCredentials", Arns.user("viewers"))).isFalse();
        assertThat(can("nobody", "fs:ReadObject", object)).isFalse();
    }

    @Test
    void denyStatementAttachedToAUserWinsOverItsGroup() {
        dir.createUser("dev", null, null);
        dir.addMember("Developers", "dev");
        dir.createPolicy("NoWrites", List.of(st("deny", "*", "fs:WriteObject", "fs:DeleteObject")));
        assertThat(can("dev", "fs:WriteObject", Arns.object("r", "a"))).isTrue();
        dir.attachToUser("dev", "NoWrites");
        assertThat(can("dev", "fs:WriteObject", Arns.object("r", "a"))).isFalse(); // the cache was invalidated
        assertThat(can("dev", "fs:ReadObject", Arns.object("r", "a"))).isTrue();
        assertThatThrownBy(() -> dir.authorize("dev", List.of(new Permission("fs:WriteObject", Arns.object("r", "a")))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("fs:WriteObject");
        assertThat(dir.listUserPolicies("dev", false, "", 100).items()).extracting(Policy::id).containsExactly("NoWrites");
        assertThat(dir.listUserPolicies("dev", true, "", 100).items()).extracting(Policy::id)
                .containsExactly("AuthManageOwnCredentials", "FSReadWriteAll", "NoWrites", "RepoManagementReadAll");
        dir.detachFromUser("dev", "NoWrites");
        assertThat(can("dev", "fs:WriteObject", Arns.object("r", "a"))).isTrue();
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> dir.getGroup("nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> dir.getPolicy("nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> dir.addMember("Viewers", "ghost")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> dir.createGroup("Viewers", null)).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> dir.createUser("admin", null, null)).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> dir.createPolicy("FSReadAll", List.of(st("allow", "*", "fs:ReadObject"))))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> dir.createPolicy("Bad", List.of(st("allow", "*", "fs:ReadObjekt"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("fs:ReadObjekt");
        assertThatThrownBy(() -> dir.createPolicy("Bad", List.of(st("perhaps", "*", "fs:ReadObject"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("perhaps");
        assertThatThrownBy(() -> dir.createPolicy("Bad", List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("statement");
        assertThatThrownBy(() -> dir.createGroup("a/b", null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> dir.removeMember("Viewers", "admin")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theLastAdminIsKept() {
        assertThatThrownBy(() -> dir.deleteUser("admin")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no admin");
        assertThatThrownBy(() -> dir.removeMember("Admins", "admin")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> dir.deleteGroup("Admins")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> dir.deletePolicy("AuthFullAccess")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> dir.detachFromGroup("Admins", "AuthFullAccess"))
                .isInstanceOf(InvalidArgumentException.class);
        dir.createPolicy("DenyAuth", List.of(st("deny", "*", "auth:*")));
        assertThatThrownBy(() -> dir.attachToUser("admin", "DenyAuth")).isInstanceOf(InvalidArgumentException.class);
        // with a second admin, the first one can go
        dir.createUser("admin2", null, null);
        dir.addMember("Admins", "admin2");
        dir.deleteUser("admin");
        assertThatThrownBy(() -> auth.getUser("admin")).isInstanceOf(NotFoundException.class);
        assertThat(dir.listMembers("Admins", "", 100).items()).extracting(User::id).containsExactly("admin2");
    }

    @Test
    void deletingAUserRemovesItsKeysAtOnce() {
        dir.createUser("carol", null, null);
        Credentials key = auth.createCredentials("carol");
        assertThat(key.accessKeyId()).hasSize(20);
        assertThat(key.secretAccessKey()).hasSize(40);
        assertThat(auth.authenticate(key.accessKeyId(), key.secretAccessKey())).contains("carol");
        assertThat(auth.listCredentials("carol", "", 100).items()).extracting(AuthService.AccessKey::accessKeyId)
                .containsExactly(key.accessKeyId());
        dir.deleteUser("carol");
        assertThat(auth.authenticate(key.accessKeyId(), key.secretAccessKey())).isEmpty();
    }

    @Test
    void deletedKeyStopsWorkingAtOnce() {
        dir.createUser("dave", null, null);
        Credentials key = auth.createCredentials("dave");
        assertThat(auth.authenticate(key.accessKeyId(), key.secretAccessKey())).contains("dave");
        auth.deleteCredentials("dave", key.accessKeyId());
        assertThat(auth.authenticate(key.accessKeyId(), key.secretAccessKey())).isEmpty();
        assertThatThrownBy(() -> auth.deleteCredentials("dave", key.accessKeyId())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void storesSetUpBeforeGroupsExistedGetTheDefaultsWithTheirUsersAsAdmins() {
        KvStore old = new MemoryKvStore();
        AuthService oldAuth = new AuthService(old, BOX);
        oldAuth.setup("first");
        oldAuth.superuser("second");
        // as a store written before groups existed: no groups, policies, memberships or marker
        for (String prefix : List.of("auth/groups/", "auth/policies/", "auth/group-members/", "auth/user-groups/",
                "auth/group-policies/", "auth/defaults")) {
            old.deletePrefix(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        AuthService restarted = new AuthService(old, BOX);
        AuthDirectory upgraded = restarted.directory();
        assertThat(upgraded.listMembers("Admins", "", 100).items()).extracting(User::id).containsExactly("first", "second");
        assertThat(upgraded.decide("second", List.of(new Permission("auth:CreateUser", Arns.user("x")))).allowed()).isTrue();
        // a later user is not made an admin by a later start
        upgraded.createUser("third", null, null);
        new AuthService(old, BOX);
        assertThat(upgraded.listMembers("Admins", "", 100).items()).extracting(User::id).containsExactly("first", "second");
    }

    @Test
    void pagination() {
        for (int i = 0; i < 5; i++) {
            dir.createGroup("g" + i, null);
        }
        var first = dir.listGroups("", 3);
        assertThat(first.items()).extracting(Group::id).containsExactly("Admins", "Developers", "SuperUsers");
        assertThat(first.hasMore()).isTrue();
        var second = dir.listGroups(first.nextOffset(), 3);
        assertThat(second.items()).extracting(Group::id).containsExactly("Viewers", "g0", "g1");
    }
}
