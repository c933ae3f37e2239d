package io.tarn.auth.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The groups and policies lakeFS creates at setup, and which policies each group has. */
public final class DefaultPolicies {
    private DefaultPolicies() {}

    public static final String ADMINS = "Admins";
    public static final String SUPER_USERS = "SuperUsers";
    public static final String DEVELOPERS = "Developers";
    public static final String VIEWERS = "Viewers";

    private static Statement allow(String resource, String... actions) {
        return new Statement(Effect.ALLOW, List.of(actions), resource);
    }

    /** Policy id → statements. */
    public static final Map<String, List<Statement>> POLICIES;
    /** Group id → attached policy ids. */
    public static final Map<String, List<String>> GROUPS;

    static {
        Map<String, List<Statement>> policies = new LinkedHashMap<>();
        policies.put("FSFullAccess", List.of(allow("*", "fs:*")));
        policies.put("FSReadWriteAll", List.of(allow("*", "fs:Read*", "fs:List*", Actions.WRITE_OBJECT,
                Actions.DELETE_OBJECT, Actions.REVERT_BRANCH, Actions.CREATE_BRANCH, Actions.CREATE_TAG,
                Actions.DELETE_BRANCH, Actions.DELETE_TAG, Actions.CREATE_COMMIT, Actions.CREATE_META_RANGE)));
        policies.put("FSReadAll", List.of(allow("*", "fs:List*", "fs:Read*")));
        policies.put("RepoManagementFullAccess", List.of(allow("*", "ci:*"), allow("*", "retention:*"),
                allow("*", "branches:*")));
        policies.put("RepoManagementReadAll", List.of(allow("*", "ci:Read*"), allow("*", "retention:Get*"),
                allow("*", "branches:Get*")));
        policies.put("AuthFullAccess", List.of(allow("*", "auth:*")));
        policies.put("AuthManageOwnCredentials", List.of(allow(Arns.user(Statement.USER_PLACEHOLDER),
                Actions.CREATE_CREDENTIALS, Actions.DELETE_CREDENTIALS, Actions.LIST_CREDENTIALS,
                Actions.READ_CREDENTIALS)));
        POLICIES = java.util.Collections.unmodifiableMap(policies);

        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put(ADMINS, List.of("AuthFullAccess", "FSFullAccess", "RepoManagementFullAccess"));
        groups.put(SUPER_USERS, List.of("FSFullAccess", "AuthManageOwnCredentials", "RepoManagementReadAll"));
        groups.put(DEVELOPERS, List.of("FSReadWriteAll", "AuthManageOwnCredentials", "RepoManagementReadAll"));
        groups.put(VIEWERS, List.of("FSReadAll", "AuthManageOwnCredentials"));
        GROUPS = java.util.Collections.unmodifiableMap(groups);
    }
}
