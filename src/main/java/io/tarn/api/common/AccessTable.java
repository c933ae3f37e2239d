package io.tarn.api.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.api.http.AccessGuard;
import io.tarn.api.http.ApiRequest;
import io.tarn.auth.AuthDirectory;
import io.tarn.auth.policy.Actions;
import io.tarn.auth.policy.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one table of what every operation of the two JSON APIs needs: operationId → the actions and
 * the resource (an ARN template) each needs, lakeFS's table of actions and permissions. A template's
 * placeholders are filled from the request: {@code {name}} a path parameter, {@code {?name}} a query
 * parameter, {@code {body.name}} a field of the JSON body, {@code {body.name[]}} each element of an
 * array field (one permission per element). An operation without authentication is {@link #PUBLIC};
 * one that any authenticated user may call is {@link #ANY_USER}.
 *
 * <p>The surfaces check the table against their document when they are built ({@link
 * io.tarn.api.http.JsonApiSurface} refuses to start without an entry for each operation).
 */
public final class AccessTable {
    private AccessTable() {}

    /** What one operation needs. */
    public sealed interface Rule permits Public, AnyUser, Needs {}

    /** No authentication: the document declares {@code security: []}. */
    public record Public() implements Rule {}

    /** Any authenticated user. */
    public record AnyUser() implements Rule {}

    /** Every one of these permissions. */
    public record Needs(List<Need> needs) implements Rule {}

    /** One action on a resource template. */
    public record Need(String action, String resource) {}

    public static final Rule PUBLIC = new Public();
    public static final Rule ANY_USER = new AnyUser();

    private static final String REPO = "arn:lakefs:fs:::repository/{repository}";
    private static final String BRANCH = REPO + "/branch/{branch}";
    private static final String OBJECT = REPO + "/object/{?path}";
    private static final String TAG = REPO + "/tag/{tag}";
    private static final String USER = "arn:lakefs:auth:::user/{userId}";
    private static final String GROUP = "arn:lakefs:auth:::group/{groupId}";
    private static final String POLICY = "arn:lakefs:auth:::policy/{policyId}";

    private static Rule needs(String action, String resource) {
        return new Needs(List.of(new Need(action, resource)));
    }

    private static Rule needs(String action, String resource, String action2, String resource2) {
        return new Needs(List.of(new Need(action, resource), new Need(action2, resource2)));
    }

    /** What both APIs share (same operationIds, same parameter names). */
    private static Map<String, Rule> common() {
        Map<String, Rule> t = new LinkedHashMap<>();
        t.put("getCurrentUser", ANY_USER);
        t.put("healthCheck", PUBLIC);
        t.put("listRepositories", needs(Actions.LIST_REPOSITORIES, "*"));
        t.put("getRepository", needs(Actions.READ_REPOSITORY, REPO));
        t.put("deleteRepository", needs(Actions.DELETE_REPOSITORY, REPO));
        t.put("listBranches", needs(Actions.LIST_BRANCHES, REPO));
        t.put("createBranch", needs(Actions.CREATE_BRANCH, REPO + "/branch/{body.name}"));
        t.put("getBranch", needs(Actions.READ_BRANCH, BRANCH));
        t.put("deleteBranch", needs(Actions.DELETE_BRANCH, BRANCH));
        t.put("revertBranch", needs(Actions.REVERT_BRANCH, BRANCH));
        t.put("diffBranch", needs(Actions.LIST_OBJECTS, REPO));
        t.put("commit", needs(Actions.CREATE_COMMIT, BRANCH));
        t.put("getCommit", needs(Actions.READ_COMMIT, REPO));
        t.put("getObject", needs(Actions.READ_OBJECT, OBJECT));
        t.put("statObject", needs(Actions.READ_OBJECT, OBJECT));
        t.put("getUnderlyingProperties", needs(Actions.READ_OBJECT, OBJECT));
        t.put("uploadObject", needs(Actions.WRITE_OBJECT, OBJECT));
        t.put("deleteObject", needs(Actions.DELETE_OBJECT, OBJECT));
        t.put("listObjects", needs(Actions.LIST_OBJECTS, REPO));
        t.put("diffRefs", needs(Actions.LIST_OBJECTS, REPO));
        t.put("listTags", needs(Actions.LIST_TAGS, REPO));
        t.put("createTag", needs(Actions.CREATE_TAG, REPO + "/tag/{body.id}"));
        t.put("getTag", needs(Actions.READ_TAG, TAG));
        t.put("deleteTag", needs(Actions.DELETE_TAG, TAG));
        // auth: the same operationIds in both APIs
        t.put("listUsers", needs(Actions.LIST_USERS, "*"));
        t.put("createUser", needs(Actions.CREATE_USER, "arn:lakefs:auth:::user/{body.id}"));
        t.put("getUser", needs(Actions.READ_USER, USER));
        t.put("deleteUser", needs(Actions.DELETE_USER, USER));
        t.put("listGroups", needs(Actions.LIST_GROUPS, "*"));
        t.put("createGroup", needs(Actions.CREATE_GROUP, "arn:lakefs:auth:::group/{body.id}"));
        t.put("getGroup", needs(Actions.READ_GROUP, GROUP));
        t.put("deleteGroup", needs(Actions.DELETE_GROUP, GROUP));
        t.put("listPolicies", needs(Actions.LIST_POLICIES, "*"));
        t.put("createPolicy", needs(Actions.CREATE_POLICY, "arn:lakefs:auth:::policy/{body.id}"));
        t.put("getPolicy", needs(Actions.READ_POLICY, POLICY));
        t.put("updatePolicy", needs(Actions.UPDATE_POLICY, POLICY));
        t.put("deletePolicy", needs(Actions.DELETE_POLICY, POLICY));
        t.put("listGroupMembers", needs(Actions.READ_GROUP, GROUP));
        t.put("addGroupMembership", needs(Actions.ADD_GROUP_MEMBER, GROUP));
        t.put("deleteGroupMembership", needs(Actions.REMOVE_GROUP_MEMBER, GROUP));
        t.put("listUserCredentials", needs(Actions.LIST_CREDENTIALS, USER));
        t.put("createCredentials", needs(Actions.CREATE_CREDENTIALS, USER));
        t.put("deleteCredentials", needs(Actions.DELETE_CREDENTIALS, USER));
        t.put("getCredentials", needs(Actions.READ_CREDENTIALS, USER));
        t.put("listUserGroups", needs(Actions.READ_USER, USER));
        t.put("listUserPolicies", needs(Actions.READ_USER, USER));
        t.put("attachPolicyToUser", needs(Actions.ATTACH_POLICY, USER));
        t.put("detachPolicyFromUser", needs(Actions.DETACH_POLICY, USER));
        t.put("listGroupPolicies", needs(Actions.READ_GROUP, GROUP));
        t.put("attachPolicyToGroup", needs(Actions.ATTACH_POLICY, GROUP));
        t.put("detachPolicyFromGroup", needs(Actions.DETACH_POLICY, GROUP));
        return t;
    }

    /** The classic API of 2020 ({@code swagger.json}). */
    public static final Map<String, Rule> CLASSIC;
    /** The current API ({@code openapi.json}). */
    public static final Map<String, Rule> CURRENT;

    static {
        Map<String, Rule> classic = common();
        classic.put("setupLakeFS", PUBLIC);
        classic.put("createRepository", needs(Actions.CREATE_REPOSITORY, "arn:lakefs:fs:::repository/{body.id}",
                Actions.ATTACH_STORAGE_NAMESPACE, "arn:lakefs:fs:::namespace/{body.storage_namespace}"));
        classic.put("getBranchCommitLog", needs(Actions.READ_BRANCH, BRANCH));
        classic.put("mergeIntoBranch", needs(Actions.CREATE_COMMIT, REPO + "/branch/{destinationRef}"));
        classic.put("getRetentionPolicy", needs(Actions.GET_RETENTION_POLICY, REPO));
        classic.put("updateRetentionPolicy", needs(Actions.UPDATE_RETENTION_POLICY, REPO));
        CLASSIC = Collections.unmodifiableMap(classic);

        Map<String, Rule> current = common();
        current.put("getSetupState", PUBLIC);
        current.put("setup", PUBLIC);
        current.put("login", PUBLIC);
        current.put("getConfig", ANY_USER);
        current.put("getLakeFSVersion", ANY_USER);
        current.put("getStorageConfig", needs(Actions.READ_CONFIG, "*"));
        current.put("createRepository", needs(Actions.CREATE_REPOSITORY, "arn:lakefs:fs:::repository/{body.name}",
                Actions.ATTACH_STORAGE_NAMESPACE, "arn:lakefs:fs:::namespace/{body.storage_namespace}"));
        current.put("getRepositoryMetadata", needs(Actions.READ_REPOSITORY, REPO));
        current.put("getGCRules", needs(Actions.GET_GC_RULES, REPO));
        current.put("setGCRules", needs(Actions.SET_GC_RULES, REPO));
        current.put("deleteGCRules", needs(Actions.SET_GC_RULES, REPO));
        current.put("setRepositoryMetadata", needs(Actions.UPDATE_REPOSITORY, REPO));
        current.put("deleteRepositoryMetadata", needs(Actions.UPDATE_REPOSITORY, REPO));
        current.put("resetBranch", needs(Actions.REVERT_BRANCH, BRANCH));
        current.put("hardResetBranch", needs(Actions.REVERT_BRANCH, BRANCH));
        current.put("cherryPick", needs(Actions.CREATE_COMMIT, BRANCH));
        current.put("logCommits", needs(Actions.READ_BRANCH, REPO + "/branch/{ref}"));
        current.put("mergeIntoBranch", needs(Actions.CREATE_COMMIT, REPO + "/branch/{destinationBranch}"));
        current.put("findMergeBase", needs(Actions.LIST_COMMITS, REPO));
        current.put("headObject", needs(Actions.READ_OBJECT, OBJECT));
        current.put("stageObject", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("deleteObjects", needs(Actions.DELETE_OBJECT, REPO + "/object/{body.paths[]}"));
        current.put("copyObject", needs(Actions.READ_OBJECT, REPO + "/object/{body.src_path}",
                Actions.WRITE_OBJECT, REPO + "/object/{?dest_path}"));
        current.put("updateObjectUserMetadata", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("getPhysicalAddress", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("linkPhysicalAddress", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("createPresignMultipartUpload", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("completePresignMultipartUpload", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("abortPresignMultipartUpload", needs(Actions.WRITE_OBJECT, OBJECT));
        current.put("importStart", needs(Actions.IMPORT_FROM_STORAGE, BRANCH, Actions.WRITE_OBJECT, REPO + "/object/*"));
        current.put("importStatus", needs(Actions.READ_BRANCH, BRANCH));
        current.put("importCancel", needs(Actions.IMPORT_CANCEL, BRANCH));
        CURRENT = Collections.unmodifiableMap(current);
    }

    /** The permissions a request needs by {@code rule} (empty for {@link #PUBLIC} and {@link #ANY_USER}). */
    public static List<Permission> required(Rule rule, ApiRequest request) {
        if (!(rule instanceof Needs needs)) {
            return List.of();
        }
        List<Need> list = needs.needs();
        if (list.size() == 1) {
            Need need = list.getFirst();
            Template template = Template.of(need.resource());
            if (template.single()) {
                return List.of(new Permission(need.action(), template.fill(request)));
            }
        }
        List<Permission> out = new ArrayList<>(list.size());
        for (Need need : list) {
            Template.of(need.resource()).expand(need.action(), request, out);
        }
        return out;
    }

    /**
     * A resource template, parsed once (by template text, for every request after the first): literal
     * text and placeholders. A value filled in is never read as a template again (an object path may
     * hold braces).
     */
    private record Template(String[] literals, Placeholder[] placeholders) {
        private static final ConcurrentHashMap<String, Template> PARSED = new ConcurrentHashMap<>();

        /** One placeholder: where its value comes from. */
        private enum Source { PATH, QUERY, BODY, BODY_EACH }

        private record Placeholder(Source source, String name) {}

        static Template of(String text) {
            Template template = PARSED.get(text);
            return template != null ? template : PARSED.computeIfAbsent(text, Template::parse);
        }

        private static Template parse(String text) {
            List<String> literals = new ArrayList<>();
            List<Placeholder> placeholders = new ArrayList<>();
            int at = 0;
            for (int open = text.indexOf('{'); open >= 0; open = text.indexOf('{', at)) {
                int close = text.indexOf('}', open);
                literals.add(text.substring(at, open));
                String name = text.substring(open + 1, close);
                if (name.startsWith("?")) {
                    placeholders.add(new Placeholder(Source.QUERY, name.substring(1)));
                } else if (name.startsWith("body.") && name.endsWith("[]")) {
                    placeholders.add(new Placeholder(Source.BODY_EACH, name.substring(5, name.length() - 2)));
                } else if (name.startsWith("body.")) {
                    placeholders.add(new Placeholder(Source.BODY, name.substring(5)));
                } else {
                    placeholders.add(new Placeholder(Source.PATH, name));
                }
                at = close + 1;
            }
            literals.add(text.substring(at));
            return new Template(literals.toArray(String[]::new), placeholders.toArray(Placeholder[]::new));
        }

        /** True if the template names one resource per request (no {@code body.name[]}). */
        boolean single() {
            for (Placeholder placeholder : placeholders) {
                if (placeholder.source() == Source.BODY_EACH) {
                    return false;
                }
            }
            return true;
        }

        /** The resource of a {@link #single} template. */
        String fill(ApiRequest request) {
            if (placeholders.length == 0) {
                return literals[0];
            }
            StringBuilder out = new StringBuilder(literals[0]);
            for (int i = 0; i < placeholders.length; i++) {
                out.append(value(placeholders[i], request)).append(literals[i + 1]);
            }
            return out.toString();
        }

        /** Every resource of the template (one per element of a {@code body.name[]} array). */
        void expand(String action, ApiRequest request, List<Permission> out) {
            expand(action, request, 0, literals[0], out);
        }

        private void expand(String action, ApiRequest request, int next, String prefix, List<Permission> out) {
            if (next == placeholders.length) {
                out.add(new Permission(action, prefix));
                return;
            }
            Placeholder placeholder = placeholders[next];
            String literal = literals[next + 1];
            if (placeholder.source() == Source.BODY_EACH) {
                JsonNode array = body(request).path(placeholder.name());
                if (array.isArray() && !array.isEmpty()) {
                    for (JsonNode element : array) {
                        expand(action, request, next + 1, prefix + element.asText("") + literal, out);
                    }
                    return;
                }
                expand(action, request, next + 1, prefix + literal, out);
                return;
            }
            expand(action, request, next + 1, prefix + value(placeholder, request) + literal, out);
        }

        private static String value(Placeholder placeholder, ApiRequest request) {
            return switch (placeholder.source()) {
                case PATH -> request.pathParam(placeholder.name());
                case QUERY -> request.query(placeholder.name()).orElse("");
                case BODY -> {
                    JsonNode field = body(request).path(placeholder.name());
                    yield field.isValueNode() ? field.asText("") : "";
                }
                case BODY_EACH -> throw new IllegalStateException("an array placeholder names several values");
            };
        }
    }

    /**
     * The JSON body, read leniently: a body that is missing or is not a JSON object gives no values
     * here (the resource is then named without them), and the handler answers the 400 it deserves.
     */
    private static JsonNode body(ApiRequest request) {
        try {
            return request.jsonBody(JsonNode.class);
        } catch (RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** The guard of a surface over {@code table}: each request is authorized by the directory. */
    public static AccessGuard guard(Map<String, Rule> table, AuthDirectory directory) {
        return new AccessGuard() {
            @Override
            public Set<String> operations() {
                return table.keySet();
            }

            @Override
            public boolean isPublic(String operationId) {
                return table.get(operationId) instanceof Public;
            }

            @Override
            public void check(ApiRequest request) {
                Rule rule = table.get(request.operationId());
                if (rule == null) {
                    throw new IllegalStateException("no access rule for operation " + request.operationId());
                }
                List<Permission> required = required(rule, request);
                if (!required.isEmpty()) {
                    directory.authorize(request.user().orElseThrow(), required);
                }
            }
        };
    }
}
