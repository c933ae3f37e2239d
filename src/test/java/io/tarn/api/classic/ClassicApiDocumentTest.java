package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.auth.AuthService;
import io.tarn.auth.SecretBox;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classic API document against the handlers and against what bravado 10.6.2 needs of it: the
 * 2020 tags, operationIds, parameter and definition names, the success codes, and every status.
 */
class ClassicApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static JsonNode doc;

    /** One operation of the document. */
    record Op(String path, String method, JsonNode node) {
        String id() {
            return node.path("operationId").asText();
        }
    }

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ClassicApiDocumentTest.class.getResourceAsStream("/api/swagger.json")) {
            assertThat(in).as("api/swagger.json on the classpath").isNotNull();
            doc = new ObjectMapper().readTree(in);
        }
    }

    private static List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (METHODS.contains(method.getKey())) {
                    ops.add(new Op(path.getKey(), method.getKey(), method.getValue()));
                }
            }
        }
        return ops;
    }

    private static Op op(String id) {
        return operations().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void handlersCoverExactlyTheDocumentsOperations() {
        List<String> ids = operations().stream().map(Op::id).toList();
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
        Set<String> system = SystemOperations.operations(new AuthService(new MemoryKvStore(), new SecretBox("k")))
                .asMap().keySet();
        assertThat(system).containsExactlyInAnyOrder("setupLakeFS", "getCurrentUser", "healthCheck");
        Set<String> classic = ClassicApi.operations(new UnsupportedEngine()).asMap().keySet();
        assertThat(classic).doesNotContainAnyElementsOf(system);
        Set<String> auth = AuthOperations.operations(new AuthService(new MemoryKvStore(), new SecretBox("k")))
                .asMap().keySet();
        assertThat(auth).hasSize(27).doesNotContainAnyElementsOf(system).doesNotContainAnyElementsOf(classic);
        Set<String> handled = new HashSet<>(classic);
        handled.addAll(system);
        handled.addAll(auth);
        assertThat(new TreeSet<>(ids)).isEqualTo(new TreeSet<>(handled));
    }

    @Test
    void topLevelIsWhatBravadoNeeds() {
        assertThat(doc.path("swagger").asText()).isEqualTo("2.0");
        assertThat(doc.path("basePath").asText()).isEqualTo("/api/v0");
        assertThat(doc.has("host")).as("no host: bravado then uses the spec URL's host").isFalse();
        assertThat(doc.path("schemes").toString()).isEqualTo("[\"http\",\"https\"]");
        assertThat(doc.path("consumes").toString()).isEqualTo("[\"application/json\"]");
        assertThat(doc.path("produces").toString()).isEqualTo("[\"application/json\"]");
        assertThat(doc.path("securityDefinitions").path("basic_auth").path("type").asText()).isEqualTo("basic");
        assertThat(doc.path("security").toString()).isEqualTo("[{\"basic_auth\":[]}]");
    }

    @Test
    void onlySetupAndHealthNeedNoCredentials() {
        Set<String> open = new TreeSet<>();
        for (Op op : operations()) {
            if (op.node().has("security")) {
                assertThat(op.node().path("security").isArray() && op.node().path("security").isEmpty())
                        .as(op.id() + " security").isTrue();
                open.add(op.id());
            }
        }
        assertThat(open).containsExactly("healthCheck", "setupLakeFS");
    }

    @Test
    void tagsAndOperationIdsAreThe2020Ones() {
        Map<String, String> tags = new TreeMap<>();
        operations().forEach(op -> {
            assertThat(op.node().path("tags")).as(op.id()).hasSize(1);
            tags.put(op.id(), op.node().path("tags").get(0).asText());
        });
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("setupLakeFS", "setup"), Map.entry("getCurrentUser", "auth"),
                Map.entry("healthCheck", "healthCheck"),
                Map.entry("listRepositories", "repositories"), Map.entry("createRepository", "repositories"),
                Map.entry("getRepository", "repositories"), Map.entry("deleteRepository", "repositories"),
                Map.entry("listBranches", "branches"), Map.entry("createBranch", "branches"),
                Map.entry("getBranch", "branches"), Map.entry("deleteBranch", "branches"),
                Map.entry("revertBranch", "branches"), Map.entry("diffBranch", "branches"),
                Map.entry("commit", "commits"), Map.entry("getCommit", "commits"),
                Map.entry("getBranchCommitLog", "commits"),
                Map.entry("uploadObject", "objects"), Map.entry("getObject", "objects"),
                Map.entry("statObject", "objects"), Map.entry("listObjects", "objects"),
                Map.entry("deleteObject", "objects"), Map.entry("getUnderlyingProperties", "objects"),
                Map.entry("diffRefs", "refs"), Map.entry("mergeIntoBranch", "refs"),
                Map.entry("listTags", "tags"), Map.entry("createTag", "tags"), Map.entry("getTag", "tags"),
                Map.entry("deleteTag", "tags"),
                Map.entry("getRetentionPolicy", "retention"), Map.entry("updateRetentionPolicy", "retention")));
        for (String auth : List.of("listUsers", "createUser", "getUser", "deleteUser", "listGroups", "createGroup",
                "getGroup", "deleteGroup", "listPolicies", "createPolicy", "getPolicy", "updatePolicy", "deletePolicy",
                "listGroupMembers", "addGroupMembership", "deleteGroupMembership", "listUserCredentials",
                "createCredentials", "deleteCredentials", "getCredentials", "listUserGroups", "listUserPolicies",
                "attachPolicyToUser", "detachPolicyFromUser", "listGroupPolicies", "attachPolicyToGroup",
                "detachPolicyFromGroup")) {
            expected.put(auth, "auth");
        }
        assertThat(tags).isEqualTo(expected);
    }

    @Test
    void pathsMethodsAndParameterNamesAreThe2020Ones() {
        assertThat(signature("createRepository")).isEqualTo("POST /repositories [body repository]");
        assertThat(signature("listBranches")).isEqualTo("GET /repositories/{repository}/branches [path repository, query after, query amount]");
        assertThat(signature("createBranch")).isEqualTo("POST /repositories/{repository}/branches [path repository, body branch]");
        assertThat(signature("revertBranch")).isEqualTo("PUT /repositories/{repository}/branches/{branch} [path repository, path branch, body revert]");
        assertThat(signature("commit")).isEqualTo("POST /repositories/{repository}/branches/{branch}/commits [path repository, path branch, body commit]");
        assertThat(signature("getCommit")).isEqualTo("GET /repositories/{repository}/commits/{commitId} [path repository, path commitId]");
        assertThat(signature("uploadObject")).isEqualTo("POST /repositories/{repository}/branches/{branch}/objects [path repository, path branch, query path, formData content]");
        assertThat(signature("getObject")).isEqualTo("GET /repositories/{repository}/refs/{ref}/objects [path repository, path ref, query path, header Range]");
        assertThat(signature("getUnderlyingProperties")).isEqualTo("GET /repositories/{repository}/refs/{ref}/objects/underlyingProperties/ [path repository, path ref, query path]");
        assertThat(signature("diffRefs")).isEqualTo("GET /repositories/{repository}/refs/{leftRef}/diff/{rightRef} [path repository, path leftRef, path rightRef, query after, query amount, query type]");
        assertThat(signature("mergeIntoBranch")).isEqualTo("POST /repositories/{repository}/refs/{sourceRef}/merge/{destinationRef} [path repository, path sourceRef, path destinationRef, body merge]");
        assertThat(signature("createTag")).isEqualTo("POST /repositories/{repository}/tags [path repository, body tag]");
        assertThat(signature("getTag")).isEqualTo("GET /repositories/{repository}/tags/{tag} [path repository, path tag]");
        assertThat(signature("setupLakeFS")).isEqualTo("POST /setup_lakefs [body user]");
        assertThat(op("uploadObject").node().path("consumes").toString()).isEqualTo("[\"multipart/form-data\"]");
        assertThat(op("getObject").node().path("produces").toString())
                .as("the content, and the JSON of its error answers").isEqualTo("[\"application/octet-stream\",\"application/json\"]");
        assertThat(op("mergeIntoBranch").node().path("parameters").get(3).path("required").asBoolean())
                .as("the merge body is optional").isFalse();
    }

    private static String signature(String id) {
        Op op = op(id);
        List<String> params = new ArrayList<>();
        op.node().path("parameters").forEach(p -> params.add(p.path("in").asText() + " " + p.path("name").asText()));
        return op.method().toUpperCase() + " " + op.path() + " " + params;
    }

    @Test
    void pathParametersMatchTheirTemplates() {
        Pattern placeholder = Pattern.compile("\\{([^}]+)}");
        for (Op op : operations()) {
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = placeholder.matcher(op.path());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            op.node().path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean()).as(op.id() + " " + p).isTrue();
                    declared.add(p.path("name").asText());
                }
            });
            assertThat(declared).as(op.id()).isEqualTo(inTemplate);
        }
    }

    @Test
    void successCodesAreTheOnesBravadoExpects() {
        Map<String, String> success = new TreeMap<>();
        for (Op op : operations()) {
            List<String> codes = new ArrayList<>();
            op.node().path("responses").fieldNames().forEachRemaining(c -> {
                if (c.startsWith("2")) {
                    codes.add(c);
                }
            });
            success.put(op.id(), String.join(",", codes));
        }
        assertThat(success).containsEntry("createRepository", "201").containsEntry("createBranch", "201")
                .containsEntry("uploadObject", "201").containsEntry("commit", "201")
                .containsEntry("listBranches", "200").containsEntry("diffBranch", "200")
                .containsEntry("diffRefs", "200").containsEntry("mergeIntoBranch", "200")
                .containsEntry("getObject", "200,206").containsEntry("getBranch", "200")
                .containsEntry("setupLakeFS", "200").containsEntry("healthCheck", "204")
                .containsEntry("deleteRepository", "204").containsEntry("deleteBranch", "204")
                .containsEntry("revertBranch", "204").containsEntry("deleteObject", "204");
        assertThat(op("createBranch").node().path("responses").path("201").path("schema").path("type").asText())
                .isEqualTo("string");
        assertThat(op("getBranch").node().path("responses").path("200").path("schema").path("type").asText())
                .isEqualTo("string");
    }

    @Test
    void everyOperationDeclaresItsErrorStatuses() {
        for (Op op : operations()) {
            JsonNode responses = op.node().path("responses");
            assertThat(responses.has("default")).as(op.id() + " default").isTrue();
            boolean open = op.node().has("security");
            assertThat(responses.has("401")).as(op.id() + " 401").isEqualTo(!open);
            // any request can be malformed (query string encoding, path segments, body)
            assertThat(responses.has("400")).as(op.id() + " 400").isTrue();
            if (op.path().startsWith("/repositories/{repository}")) {
                assertThat(responses.has("404")).as(op.id() + " 404").isTrue();
            }
        }
        for (String id : List.of("createRepository", "createBranch", "createTag", "mergeIntoBranch", "revertBranch",
                "setupLakeFS")) {
            assertThat(op(id).node().path("responses").has("409")).as(id + " 409").isTrue();
        }
        assertThat(op("getObject").node().path("responses").has("416")).isTrue();
        for (String id : List.of("mergeIntoBranch", "revertBranch")) {
            JsonNode conflict = op(id).node().path("responses").path("409").path("schema").path("properties");
            assertThat(conflict.path("results").path("items").path("$ref").asText()).as(id)
                    .isEqualTo("#/definitions/merge_result");
            assertThat(conflict.has("message")).isTrue();
            assertThat(conflict.has("summary")).isTrue();
        }
    }

    @Test
    void getObjectDeclaresItsHeaders() {
        JsonNode ok = op("getObject").node().path("responses").path("200");
        assertThat(ok.path("schema").path("type").asText()).isEqualTo("file");
        assertThat(iterable(ok.path("headers").fieldNames()))
                .contains("Content-Length", "ETag", "Last-Modified", "Content-Disposition");
        assertThat(iterable(op("getObject").node().path("responses").path("206").path("headers").fieldNames()))
                .contains("Content-Range", "Content-Length");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void definitionsAreThe2020Names() {
        assertThat(new TreeSet<>(iterable(doc.path("definitions").fieldNames()))).containsExactlyInAnyOrder(
                "repository", "repository_creation", "pagination", "object_stats", "diff", "commit",
                "commit_creation", "merge", "merge_result", "branch_creation", "revert_creation", "error", "user",
                "retention_policy", "retention_policy_rule", "retention_policy_with_creation_date", "time_period",
                "setup", "credentials_with_secret", "underlying_object_properties", "ref", "tag_creation",
                "user_creation", "credentials", "group", "group_creation", "statement", "policy");
        JsonNode creation = doc.path("definitions").path("repository_creation");
        assertThat(creation.path("required").toString()).isEqualTo("[\"id\",\"storage_namespace\"]");
        assertThat(creation.path("properties").path("storage_namespace").path("pattern").asText())
                .isEqualTo("^(s3|gs|mem|local|transient)://.*$");
        assertThat(doc.path("definitions").path("pagination").path("required").toString()).isEqualTo("[\"has_more\"]");
        assertThat(doc.path("definitions").path("credentials_with_secret").path("properties").has("access_secret_key")).isTrue();
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        doc.findValues("$ref").forEach(r -> refs.add(r.asText()));
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            JsonNode target = doc.at(ref.substring(1));
            assertThat(target.isMissingNode()).as(ref).isFalse();
        }
    }
}
