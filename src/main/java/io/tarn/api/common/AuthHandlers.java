package io.tarn.api.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.Operations;
import io.tarn.auth.AuthDirectory;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.Group;
import io.tarn.auth.User;
import io.tarn.auth.policy.Policy;
import io.tarn.auth.policy.Statement;
import io.tarn.engine.model.Page;
import io.tarn.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The handlers of the auth operations (users, groups, memberships, policies, attachments, access
 * keys), the same operationIds in both JSON APIs; each API gives its own {@link Shapes}. Handlers
 * are thin: parse, call {@link AuthDirectory} / {@link AuthService}, write the shape. Who may call
 * them is decided before, by {@link AccessTable}.
 */
public final class AuthHandlers {
    private AuthHandlers() {}

    /** How one API writes the auth schemas. */
    public interface Shapes {
        Map<String, Object> user(User user);

        Map<String, Object> group(Group group);

        /** An access key without its secret: the same in both APIs. */
        default Map<String, Object> credentials(AuthService.AccessKey key) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_key_id", key.accessKeyId());
            out.put("creation_date", key.creationDate());
            return out;
        }

        Map<String, Object> credentialsWithSecret(Credentials credentials);

        <T> Object page(Page<T> page, Function<T, Map<String, Object>> item);

        /** Whether the listings take {@code prefix} (the current API) — else it is ignored. */
        boolean prefixes();
    }

    /** A policy in lakeFS's shape (the same in both APIs). */
    public static Map<String, Object> policy(Policy policy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", policy.id());
        out.put("creation_date", policy.creationDate());
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Statement s : policy.statements()) {
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("effect", s.effect().word());
            statement.put("resource", s.resource());
            statement.put("action", s.actions());
            statements.add(statement);
        }
        out.put("statement", statements);
        return out;
    }

    public static Operations operations(AuthService auth, Shapes shapes) {
        AuthDirectory dir = auth.directory();
        return new Operations()
                .add("listUsers", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> auth.listUsers(a, n), User::id), shapes::user));
                })
                .add("createUser", (request, response) -> {
                    JsonBody body = JsonBody.required(request, "user");
                    User user = dir.createUser(body.requiredString("id"), body.optionalString("email"),
                            body.optionalString("friendly_name"));
                    response.json(201, shapes.user(user));
                })
                .add("getUser", (request, response) -> response.json(200, shapes.user(auth.getUser(request.pathParam("userId")))))
                .add("deleteUser", (request, response) -> {
                    dir.deleteUser(request.pathParam("userId"));
                    response.empty(204);
                })
                .add("listGroups", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> dir.listGroups(a, n), Group::id), shapes::group));
                })
                .add("createGroup", (request, response) -> {
                    JsonBody body = JsonBody.required(request, "group");
                    Group group = dir.createGroup(body.requiredString("id"), body.optionalString("description"));
                    response.json(201, shapes.group(group));
                })
                .add("getGroup", (request, response) -> response.json(200, shapes.group(dir.getGroup(request.pathParam("groupId")))))
                .add("deleteGroup", (request, response) -> {
                    dir.deleteGroup(request.pathParam("groupId"));
                    response.empty(204);
                })
                .add("listGroupMembers", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> dir.listMembers(request.pathParam("groupId"), a,
                            n), User::id), shapes::user));
                })
                .add("addGroupMembership", (request, response) -> {
                    dir.addMember(request.pathParam("groupId"), request.pathParam("userId"));
                    response.empty(201);
                })
                .add("deleteGroupMembership", (request, response) -> {
                    dir.removeMember(request.pathParam("groupId"), request.pathParam("userId"));
                    response.empty(204);
                })
                .add("listUserGroups", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> dir.listUserGroups(request.pathParam("userId"), a,
                            n), Group::id), shapes::group));
                })
                .add("listPolicies", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> dir.listPolicies(a, n), Policy::id),
                            AuthHandlers::policy));
                })
                .add("createPolicy", (request, response) -> {
                    JsonBody body = JsonBody.required(request, "policy");
                    Policy policy = dir.createPolicy(body.requiredString("id"), statements(request));
                    response.json(201, policy(policy));
                })
                .add("getPolicy", (request, response) -> response.json(200, policy(dir.getPolicy(request.pathParam("policyId")))))
                .add("updatePolicy", (request, response) -> {
                    String id = request.pathParam("policyId");
                    JsonBody body = JsonBody.required(request, "policy");
                    String named = body.optionalString("id");
                    if (named != null && !named.equals(id)) {
                        throw new InvalidArgumentException("policy.id '" + named + "' differs from the policy in the"
                                + " path '" + id + "' (a policy cannot be renamed)");
                    }
                    response.json(200, policy(dir.updatePolicy(id, statements(request))));
                })
                .add("deletePolicy", (request, response) -> {
                    dir.deletePolicy(request.pathParam("policyId"));
                    response.empty(204);
                })
                .add("listUserPolicies", (request, response) -> {
                    Listing l = listing(request, shapes);
                    boolean effective = request.query("effective").map(AuthHandlers::bool).orElse(false);
                    response.json(200, shapes.page(l.list((a, n) -> dir.listUserPolicies(request.pathParam("userId"), effective,
                            a, n), Policy::id), AuthHandlers::policy));
                })
                .add("attachPolicyToUser", (request, response) -> {
                    dir.attachToUser(request.pathParam("userId"), request.pathParam("policyId"));
                    response.empty(201);
                })
                .add("detachPolicyFromUser", (request, response) -> {
                    dir.detachFromUser(request.pathParam("userId"), request.pathParam("policyId"));
                    response.empty(204);
                })
                .add("listGroupPolicies", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> dir.listGroupPolicies(request.pathParam("groupId"), a,
                            n), Policy::id), AuthHandlers::policy));
                })
                .add("attachPolicyToGroup", (request, response) -> {
                    dir.attachToGroup(request.pathParam("groupId"), request.pathParam("policyId"));
                    response.empty(201);
                })
                .add("detachPolicyFromGroup", (request, response) -> {
                    dir.detachFromGroup(request.pathParam("groupId"), request.pathParam("policyId"));
                    response.empty(204);
                })
                .add("listUserCredentials", (request, response) -> {
                    Listing l = listing(request, shapes);
                    response.json(200, shapes.page(l.list((a, n) -> auth.listCredentials(request.pathParam("userId"), a,
                            n), AuthService.AccessKey::accessKeyId), shapes::credentials));
                })
                .add("createCredentials", (request, response) -> response.json(201,
                        shapes.credentialsWithSecret(auth.createCredentials(request.pathParam("userId")))))
                .add("getCredentials", (request, response) -> response.json(200, shapes.credentials(
                        auth.getCredentials(request.pathParam("userId"), request.pathParam("accessKeyId")))))
                .add("deleteCredentials", (request, response) -> {
                    auth.deleteCredentials(request.pathParam("userId"), request.pathParam("accessKeyId"));
                    response.empty(204);
                });
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw new InvalidArgumentException("effective must be true or false: " + Inputs.quote(value));
        };
    }

    /**
     * {@code after}, {@code amount} and (current API) {@code prefix}: with a prefix, the ids without
     * it are skipped (auth listings are small: the pages of the store are walked until enough match).
     */
    private record Listing(String after, int amount, String prefix) {
        <T> Page<T> list(java.util.function.BiFunction<String, Integer, Page<T>> fetch, Function<T, String> id) {
            if (prefix.isEmpty()) {
                return fetch.apply(after, amount);
            }
            List<T> kept = new ArrayList<>();
            String from = after;
            while (true) {
                Page<T> page = fetch.apply(from, Paging.MAX_PER_PAGE);
                for (T item : page.items()) {
                    String itemId = id.apply(item);
                    if (itemId.startsWith(prefix)) {
                        if (kept.size() == amount) {
                            return new Page<>(kept, true, id.apply(kept.getLast()));
                        }
                        kept.add(item);
                    } else if (itemId.compareTo(prefix) > 0) {
                        return new Page<>(kept, false, "");
                    }
                }
                if (!page.hasMore()) {
                    return new Page<>(kept, false, "");
                }
                from = page.nextOffset();
            }
        }
    }

    private static Listing listing(ApiRequest request, Shapes shapes) {
        Paging paging = Paging.of(request, Paging.DEFAULT_SMALL);
        String prefix = shapes.prefixes() ? request.query("prefix").orElse("") : "";
        return new Listing(paging.after(), paging.amount(), prefix);
    }

    /** The statements of a policy body, as sent (the directory checks them). */
    private static List<AuthDirectory.StatementInput> statements(ApiRequest request) {
        JsonNode body = request.jsonBody(JsonNode.class);
        JsonNode statement = body.get("statement");
        if (statement == null || statement.isNull()) {
            throw new InvalidArgumentException("policy.statement is required (at least one statement)");
        }
        if (!statement.isArray()) {
            throw new InvalidArgumentException("policy.statement must be an array of statements");
        }
        List<AuthDirectory.StatementInput> out = new ArrayList<>();
        int i = 0;
        for (JsonNode s : statement) {
            i++;
            String where = "policy.statement[" + (i - 1) + "]";
            if (!s.isObject()) {
                throw new InvalidArgumentException(where + " must be an object {effect, action, resource}");
            }
            if (s.has("condition") && !s.get("condition").isNull() && !s.get("condition").isEmpty()) {
                throw new InvalidArgumentException(where + ".condition is not supported by this server");
            }
            JsonNode actions = s.get("action");
            List<String> actionList = new ArrayList<>();
            if (actions != null && actions.isArray()) {
                for (JsonNode a : actions) {
                    if (!a.isTextual()) {
                        throw new InvalidArgumentException(where + ".action must be an array of strings");
                    }
                    actionList.add(a.asText());
                }
            } else if (actions != null && !actions.isNull()) {
                throw new InvalidArgumentException(where + ".action must be an array of strings");
            }
            out.add(new AuthDirectory.StatementInput(text(s, "effect", where), actionList, text(s, "resource", where)));
        }
        return out;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidArgumentException(where + "." + field + " must be a string");
        }
        return value.asText();
    }
}
