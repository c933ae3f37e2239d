package io.tarn.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
    private static Policy policy(String id, Statement... statements) {
        return new Policy(id, 0, List.of(statements));
    }

    private static Statement allow(String resource, String... actions) {
        return new Statement(Effect.ALLOW, List.of(actions), resource);
    }

    private static Statement deny(String resource, String... actions) {
        return new Statement(Effect.DENY, List.of(actions), resource);
    }

    private static boolean allowed(List<Policy> policies, String action, String resource) {
        return PolicyEvaluator.evaluate(policies, List.of(new Permission(action, resource)), "alice").allowed();
    }

    @Test
    void wildcardsInActions() {
        List<Policy> readAll = List.of(policy("FSReadAll", allow("*", "fs:List*", "fs:Read*")));
        assertThat(allowed(readAll, "fs:ReadObject", Arns.object("repo", "a/b"))).isTrue();
        assertThat(allowed(readAll, "fs:ListObjects", Arns.repository("repo"))).isTrue();
        assertThat(allowed(readAll, "fs:WriteObject", Arns.object("repo", "a/b"))).isFalse();
        assertThat(allowed(List.of(policy("p", allow("*", "fs:?eadObject"))), "fs:ReadObject", "*")).isTrue();
        assertThat(allowed(List.of(policy("p", allow("*", "*"))), "auth:DeleteUser", Arns.user("bob"))).isTrue();
        assertThat(allowed(List.of(policy("p", allow("*", "fs:*"))), "auth:DeleteUser", Arns.user("bob"))).isFalse();
    }

    @Test
    void wildcardsInResources() {
        List<Policy> repoOnly = List.of(policy("p", allow("arn:lakefs:fs:::repository/data/*", "fs:ReadObject")));
        assertThat(allowed(repoOnly, "fs:ReadObject", Arns.object("data", "x/y.csv"))).isTrue();
        assertThat(allowed(repoOnly, "fs:ReadObject", Arns.object("database", "x"))).isFalse();
        assertThat(allowed(repoOnly, "fs:ReadObject", Arns.object("other", "x"))).isFalse();
        List<Policy> oneChar = List.of(policy("p", allow("arn:lakefs:fs:::repository/r?/object/*", "fs:ReadObject")));
        assertThat(allowed(oneChar, "fs:ReadObject", Arns.object("r1", "k"))).isTrue();
        assertThat(allowed(oneChar, "fs:ReadObject", Arns.object("r12", "k"))).isFalse();
    }

    @Test
    void userPlaceholderIsTheUserBeingAuthorized() {
        List<Policy> own = List.of(policy("own", allow(Arns.user("${user}"), "auth:CreateCredentials")));
        assertThat(allowed(own, "auth:CreateCredentials", Arns.user("alice"))).isTrue();
        assertThat(allowed(own, "auth:CreateCredentials", Arns.user("bob"))).isFalse();
    }

    @Test
    void denyWinsOverAnyAllowInAnyPolicy() {
        List<Policy> policies = List.of(policy("all", allow("*", "fs:*")),
                policy("no-secrets", deny("arn:lakefs:fs:::repository/*/object/secret/*", "fs:ReadObject")));
        assertThat(allowed(policies, "fs:ReadObject", Arns.object("r", "public/a"))).isTrue();
        assertThat(allowed(policies, "fs:ReadObject", Arns.object("r", "secret/a"))).isFalse();
        Decision decision = PolicyEvaluator.evaluate(policies,
                List.of(new Permission("fs:ReadObject", Arns.object("r", "secret/a"))), "alice");
        assertThat(decision).isInstanceOf(Decision.Denied.class);
        assertThat(((Decision.Denied) decision).explicit()).isTrue();
        assertThat(((Decision.Denied) decision).message("alice")).contains("fs:ReadObject", "secret/a", "denies");
    }

    @Test
    void noStatementMeansDeny() {
        assertThat(allowed(List.of(), "fs:ReadRepository", Arns.repository("r"))).isFalse();
        Decision decision = PolicyEvaluator.evaluate(List.of(),
                List.of(new Permission("fs:ReadRepository", Arns.repository("r"))), "alice");
        assertThat(((Decision.Denied) decision).explicit()).isFalse();
    }

    @Test
    void everyRequiredPermissionIsNeeded() {
        List<Policy> policies = List.of(policy("p", allow("*", "fs:ReadObject")));
        List<Permission> copy = List.of(new Permission("fs:ReadObject", Arns.object("r", "a")),
                new Permission("fs:WriteObject", Arns.object("r", "b")));
        Decision decision = PolicyEvaluator.evaluate(policies, copy, "alice");
        assertThat(((Decision.Denied) decision).permission().action()).isEqualTo("fs:WriteObject");
        assertThat(PolicyEvaluator.evaluate(policies, List.of(), "alice").allowed()).isTrue();
    }

    @Test
    void policiesCombineAcrossSeveral() {
        List<Policy> policies = List.of(policy("read", allow("*", "fs:ReadObject")),
                policy("write", allow(Arns.repository("r") + "/object/*", "fs:WriteObject")));
        assertThat(PolicyEvaluator.evaluate(policies, List.of(new Permission("fs:ReadObject", Arns.object("s", "a")),
                new Permission("fs:WriteObject", Arns.object("r", "b"))), "alice").allowed()).isTrue();
    }

    @Test
    void wildcardMatcherEdges() {
        assertThat(Wildcards.matches("*", "")).isTrue();
        assertThat(Wildcards.matches("a*b*c", "aXXbYYc")).isTrue();
        assertThat(Wildcards.matches("a*b*c", "aXXbYY")).isFalse();
        assertThat(Wildcards.matches("abc", "abcd")).isFalse();
        assertThat(Wildcards.matches("**", "x")).isTrue();
        assertThat(Wildcards.matches("?", "")).isFalse();
    }

    @Test
    void actionsAreChecked() {
        Actions.check("fs:ReadObject");
        Actions.check("fs:*");
        Actions.check("*");
        Actions.check("auth:Read*");
        assertThatThrownBy(() -> Actions.check("fs:ReadObjekt")).hasMessageContaining("fs:ReadObjekt");
        assertThatThrownBy(() -> Actions.check("nope:*")).hasMessageContaining("nope:*");
        assertThatThrownBy(() -> Actions.check("")).hasMessageContaining("empty");
    }

    @Test
    void effectWords() {
        assertThat(Effect.of("allow")).isEqualTo(Effect.ALLOW);
        assertThat(Effect.of("Deny")).isEqualTo(Effect.DENY);
        assertThatThrownBy(() -> Effect.of("maybe")).hasMessageContaining("maybe");
    }
}
