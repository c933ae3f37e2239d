package io.tarn.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled form answers exactly what the statement-by-statement evaluator answers (the same
 * decision, the same failing permission, the same explicit flag), on lakeFS's default policies and on
 * many random ones.
 */
class CompiledPoliciesTest {
    private static final List<String> ACTIONS = List.of(Actions.READ_OBJECT, Actions.WRITE_OBJECT,
            Actions.LIST_OBJECTS, Actions.READ_REPOSITORY, Actions.CREATE_BRANCH, Actions.CREATE_CREDENTIALS,
            Actions.DELETE_USER, "ci:ReadAction", "retention:GetPolicy");
    private static final List<String> ACTION_PATTERNS = List.of("fs:*", "fs:Read*", "fs:List*", "auth:*", "*",
            "fs:?eadObject", Actions.WRITE_OBJECT, Actions.CREATE_CREDENTIALS, "ci:Read*", "retention:Get*");
    private static final List<String> RESOURCES = List.of("*", Arns.repository("r"), Arns.object("r", "a/b.csv"),
            Arns.object("r", "secret/k"), Arns.object("s", "a/b.csv"), Arns.branch("r", "main"), Arns.user("alice"),
            Arns.user("bob"), Arns.object("r", ""));
    private static final List<String> RESOURCE_PATTERNS = List.of("*", Arns.repository("r"), Arns.repository("r") + "/*",
            "arn:lakefs:fs:::repository/*/object/secret/*", Arns.object("r", "a/b.csv"), Arns.user("${user}"),
            Arns.user("bob"), "arn:lakefs:fs:::repository/?/object/*", "arn:lakefs:auth:::*", Arns.object("r", "*"));

    private static void assertSameAsEvaluator(List<Policy> policies, String user, List<Permission> required) {
        Decision expected = PolicyEvaluator.evaluate(policies, required, user);
        CompiledPolicies compiled = CompiledPolicies.of(user, policies);
        assertThat(compiled.decide(required)).as("%s for %s by %s", required, user, policies).isEqualTo(expected);
        assertThat(compiled.decide(required)).as("asked again").isEqualTo(expected);
    }

    @Test
    void defaultGroupsDecideAsTheEvaluator() {
        for (var group : DefaultPolicies.GROUPS.entrySet()) {
            List<Policy> policies = group.getValue().stream()
                    .map(id -> new Policy(id, 0, DefaultPolicies.POLICIES.get(id))).toList();
            for (String user : List.of("alice", "bob")) {
                for (String action : ACTIONS) {
                    for (String resource : RESOURCES) {
                        assertSameAsEvaluator(policies, user, List.of(new Permission(action, resource)));
                    }
                }
            }
        }
    }

    @Test
    void viewersReadEverythingAndManageOnlyTheirOwnKeys() {
        List<Policy> viewers = DefaultPolicies.GROUPS.get(DefaultPolicies.VIEWERS).stream()
                .map(id -> new Policy(id, 0, DefaultPolicies.POLICIES.get(id))).toList();
        CompiledPolicies alice = CompiledPolicies.of("alice", viewers);
        assertThat(alice.decide(List.of(new Permission(Actions.READ_OBJECT, Arns.object("r", "a"))))).isEqualTo(Decision.ALLOWED);
        assertThat(alice.decide(List.of(new Permission(Actions.CREATE_CREDENTIALS, Arns.user("alice"))))).isEqualTo(Decision.ALLOWED);
        Permission others = new Permission(Actions.CREATE_CREDENTIALS, Arns.user("bob"));
        assertThat(alice.decide(List.of(others))).isEqualTo(new Decision.Denied(others, false));
        Permission write = new Permission(Actions.WRITE_OBJECT, Arns.object("r", "a"));
        assertThat(alice.decide(List.of(write))).isEqualTo(new Decision.Denied(write, false));
    }

    @Test
    void denyWinsAndTheFirstFailingPermissionIsNamed() {
        List<Policy> policies = List.of(new Policy("all", 0, List.of(new Statement(Effect.ALLOW, List.of("fs:*"), "*"))),
                new Policy("no-secrets", 0, List.of(new Statement(Effect.DENY, List.of(Actions.READ_OBJECT),
                        "arn:lakefs:fs:::repository/*/object/secret/*"))));
        CompiledPolicies compiled = CompiledPolicies.of("alice", policies);
        Permission secret = new Permission(Actions.READ_OBJECT, Arns.object("r", "secret/k"));
        Permission fine = new Permission(Actions.READ_OBJECT, Arns.object("r", "public/k"));
        assertThat(compiled.decide(List.of(fine, secret))).isEqualTo(new Decision.Denied(secret, true));
        assertThat(compiled.decide(List.of(fine))).isEqualTo(Decision.ALLOWED);
        assertThat(CompiledPolicies.of("alice", List.of()).decide(List.of(fine))).isEqualTo(new Decision.Denied(fine, false));
    }

    @Test
    void randomPoliciesDecideAsTheEvaluator() {
        Random random = new Random(11);
        for (int round = 0; round < 2000; round++) {
            List<Policy> policies = new ArrayList<>();
            for (int p = random.nextInt(4); p >= 0; p--) {
                List<Statement> statements = new ArrayList<>();
                for (int s = random.nextInt(3); s >= 0; s--) {
                    List<String> actions = new ArrayList<>();
                    for (int a = random.nextInt(3); a >= 0; a--) {
                        actions.add(pick(random, ACTION_PATTERNS));
                    }
                    statements.add(new Statement(random.nextInt(4) == 0 ? Effect.DENY : Effect.ALLOW, actions,
                            pick(random, RESOURCE_PATTERNS)));
                }
                policies.add(new Policy("p" + p, 0, statements));
            }
            List<Permission> required = new ArrayList<>();
            for (int r = random.nextInt(3); r >= 0; r--) {
                required.add(new Permission(pick(random, ACTIONS), pick(random, RESOURCES)));
            }
            assertSameAsEvaluator(policies, random.nextBoolean() ? "alice" : "bob", required);
        }
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
