package io.tarn.auth.policy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The actions of lakeFS's policy language that Tarn knows, and the check of the actions a policy
 * names: an action without wildcards must be one of these; a pattern must match at least one.
 */
public final class Actions {
    private Actions() {}

    public static final String READ_REPOSITORY = "fs:ReadRepository";
    public static final String CREATE_REPOSITORY = "fs:CreateRepository";
    public static final String UPDATE_REPOSITORY = "fs:UpdateRepository";
    public static final String DELETE_REPOSITORY = "fs:DeleteRepository";
    public static final String LIST_REPOSITORIES = "fs:ListRepositories";
    public static final String ATTACH_STORAGE_NAMESPACE = "fs:AttachStorageNamespace";
    public static final String IMPORT_FROM_STORAGE = "fs:ImportFromStorage";
    public static final String IMPORT_CANCEL = "fs:ImportCancel";
    public static final String READ_OBJECT = "fs:ReadObject";
    public static final String WRITE_OBJECT = "fs:WriteObject";
    public static final String DELETE_OBJECT = "fs:DeleteObject";
    public static final String LIST_OBJECTS = "fs:ListObjects";
    public static final String CREATE_BRANCH = "fs:CreateBranch";
    public static final String READ_BRANCH = "fs:ReadBranch";
    public static final String DELETE_BRANCH = "fs:DeleteBranch";
    public static final String LIST_BRANCHES = "fs:ListBranches";
    public static final String REVERT_BRANCH = "fs:RevertBranch";
    public static final String CREATE_TAG = "fs:CreateTag";
    public static final String READ_TAG = "fs:ReadTag";
    public static final String DELETE_TAG = "fs:DeleteTag";
    public static final String LIST_TAGS = "fs:ListTags";
    public static final String READ_COMMIT = "fs:ReadCommit";
    public static final String CREATE_COMMIT = "fs:CreateCommit";
    public static final String CREATE_META_RANGE = "fs:CreateMetaRange";
    public static final String LIST_COMMITS = "fs:ListCommits";
    public static final String READ_CONFIG = "fs:ReadConfig";

    public static final String READ_USER = "auth:ReadUser";
    public static final String CREATE_USER = "auth:CreateUser";
    public static final String UPDATE_USER = "auth:UpdateUser";
    public static final String DELETE_USER = "auth:DeleteUser";
    public static final String LIST_USERS = "auth:ListUsers";
    public static final String READ_GROUP = "auth:ReadGroup";
    public static final String CREATE_GROUP = "auth:CreateGroup";
    public static final String DELETE_GROUP = "auth:DeleteGroup";
    public static final String LIST_GROUPS = "auth:ListGroups";
    public static final String ADD_GROUP_MEMBER = "auth:AddGroupMember";
    public static final String REMOVE_GROUP_MEMBER = "auth:RemoveGroupMember";
    public static final String READ_POLICY = "auth:ReadPolicy";
    public static final String CREATE_POLICY = "auth:CreatePolicy";
    public static final String UPDATE_POLICY = "auth:UpdatePolicy";
    public static final String DELETE_POLICY = "auth:DeletePolicy";
    public static final String LIST_POLICIES = "auth:ListPolicies";
    public static final String ATTACH_POLICY = "auth:AttachPolicy";
    public static final String DETACH_POLICY = "auth:DetachPolicy";
    public static final String READ_CREDENTIALS = "auth:ReadCredentials";
    public static final String CREATE_CREDENTIALS = "auth:CreateCredentials";
    public static final String DELETE_CREDENTIALS = "auth:DeleteCredentials";
    public static final String LIST_CREDENTIALS = "auth:ListCredentials";

    public static final String GET_GC_RULES = "retention:GetGarbageCollectionRules";
    public static final String SET_GC_RULES = "retention:SetGarbageCollectionRules";
    /** lakeFS 2020's retention policy actions. */
    public static final String GET_RETENTION_POLICY = "retention:GetPolicy";
    public static final String UPDATE_RETENTION_POLICY = "retention:UpdatePolicy";

    /** Every known action (lakeFS's, including those of features Tarn does not have, so their policies load). */
    public static final Set<String> ALL = Set.copyOf(List.of(
            READ_REPOSITORY, CREATE_REPOSITORY, UPDATE_REPOSITORY, DELETE_REPOSITORY, LIST_REPOSITORIES,
            ATTACH_STORAGE_NAMESPACE, IMPORT_FROM_STORAGE, IMPORT_CANCEL, READ_OBJECT, WRITE_OBJECT, DELETE_OBJECT,
            LIST_OBJECTS, CREATE_BRANCH, READ_BRANCH, DELETE_BRANCH, LIST_BRANCHES, REVERT_BRANCH, CREATE_TAG,
            READ_TAG, DELETE_TAG, LIST_TAGS, READ_COMMIT, CREATE_COMMIT, CREATE_META_RANGE, LIST_COMMITS, READ_CONFIG,
            READ_USER, CREATE_USER, UPDATE_USER, DELETE_USER, LIST_USERS, READ_GROUP, CREATE_GROUP, DELETE_GROUP,
            LIST_GROUPS, ADD_GROUP_MEMBER, REMOVE_GROUP_MEMBER, READ_POLICY, CREATE_POLICY, UPDATE_POLICY,
            DELETE_POLICY, LIST_POLICIES, ATTACH_POLICY, DETACH_POLICY, READ_CREDENTIALS, CREATE_CREDENTIALS,
            DELETE_CREDENTIALS, LIST_CREDENTIALS,
            "ci:ReadAction", "retention:PrepareGarbageCollectionCommits", "retention:PrepareGarbageCollectionUncommitted",
            GET_GC_RULES, SET_GC_RULES, GET_RETENTION_POLICY, UPDATE_RETENTION_POLICY,
            "branches:GetBranchProtectionRules", "branches:SetBranchProtectionRules", "fs:ExportConfig"));

    /**
     * Checks an action of a policy statement.
     *
     * @throws IllegalArgumentException naming the action, if it is unknown or a pattern that matches no action
     */
    public static void check(String action) {
        if (action == null || action.isEmpty()) {
            throw new IllegalArgumentException("an action must not be empty");
        }
        if (Wildcards.hasWildcard(action)) {
            for (String known : ALL) {
                if (Wildcards.matches(action, known)) {
                    return;
                }
            }
            throw new IllegalArgumentException("action pattern \"" + action + "\" matches no known action");
        }
        if (!ALL.contains(action)) {
            throw new IllegalArgumentException("unknown action \"" + action + "\"");
        }
    }

    /** The known actions, sorted (for messages and documentation). */
    public static Set<String> sorted() {
        return new TreeSet<>(ALL);
    }
}
