package io.tarn.api.current;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.api.classic.UnsupportedEngine;
import io.tarn.api.http.ApiDocument;
import io.tarn.api.http.Operations;
import io.tarn.api.http.Router;
import io.tarn.auth.AuthService;
import io.tarn.auth.LoginTokens;
import io.tarn.auth.SecretBox;
import io.tarn.kv.memory.MemoryKvStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI 3 document against the handlers, and against what lakeFS's clients rely on. */
class CurrentApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static JsonNode doc;
    private static byte[] bytes;

    @BeforeAll
    static void load() throws Exception {
        bytes = CurrentSurface.document();
        doc = new ObjectMapper().readTree(bytes);
    }

    private static Operations handlers() {
        AuthService auth = new AuthService(new MemoryKvStore(), new SecretBox("k"));
        return CurrentApi.operations(new UnsupportedEngine()).addAll(new SetupOperations(auth,
                LoginTokens.of(auth, Duration.ofHours(1)), new CurrentSurface.ServerInfo("dev", "mem")).operations())
                .addAll(AuthOperations.operations(auth));
    }

    private static List<String> operationIds() {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (METHODS.contains(method.getKey())) {
                    ids.add(method.getValue().path("operationId").asText());
                }
            }
        }
        return ids;
    }

    @Test
    void everyOperationIsRoutedAndEveryRouteIsInTheDocument() throws Exception {
        List<String> ids = operationIds();
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
        assertThat(new TreeSet<>(handlers().asMap().keySet())).isEqualTo(new TreeSet<>(ids));
        Router router = Router.build(ApiDocument.parse(bytes), handlers());
        assertThat(router.basePath()).isEqualTo("/api/v1");
        // the router refuses a handler missing or one too many
        Operations extra = handlers().add("notInTheDocument", (request, response) -> response.empty(204));
        assertThatThrownBy(() -> Router.build(ApiDocument.parse(bytes), extra))
                .hasMessageContaining("notInTheDocument");
    }

    @Test
    void topLevelIsOpenApi3WithLakeFsSecuritySchemes() {
        assertThat(doc.path("openapi").asText()).startsWith("3.0.");
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("/api/v1");
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.path("basic_auth").path("scheme").asText()).isEqualTo("basic");
        assertThat(schemes.path("jwt_token").path("scheme").asText()).isEqualTo("bearer");
        assertThat(schemes.path("jwt_token").path("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(schemes.path("cookie_auth").path("in").asText()).isEqualTo("cookie");
        assertThat(schemes.path("cookie_auth").path("name").asText()).isEqualTo("internal_auth_session");
        List<String> global = new ArrayList<>();
        doc.path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(global::add));
        assertThat(global).containsExactlyInAnyOrder("jwt_token", "basic_auth", "cookie_auth");
    }

    @Test
    void onlySetupLoginAndHealthNeedNoCredentials() {
        ApiDocument parsed = ApiDocument.parse(doc);
        assertThat(parsed.basePath()).isEqualTo("/api/v1");
        assertThat(parsed.operations().stream().filter(op -> !op.authenticated())
                .map(ApiDocument.DocumentedOperation::operationId))
                .containsExactlyInAnyOrder("getSetupState", "setup", "login", "healthCheck");
    }

    @Test
    void lakeFsOperationIdsAndTags() {
        Map<String, String> tags = Map.ofEntries(Map.entry("listRepositories", "repositories"),
                Map.entry("createBranch", "branches"), Map.entry("commit", "commits"),
                Map.entry("logCommits", "refs"), Map.entry("diffRefs", "refs"), Map.entry("mergeIntoBranch", "refs"),
                Map.entry("uploadObject", "objects"), Map.entry("headObject", "objects"), Map.entry("createTag", "tags"),
                Map.entry("getSetupState", "internal"), Map.entry("login", "auth"), Map.entry("getConfig", "config"),
                Map.entry("healthCheck", "healthCheck"));
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                String id = method.getValue().path("operationId").asText();
                if (tags.containsKey(id)) {
                    assertThat(method.getValue().path("tags").get(0).asText()).as(id).isEqualTo(tags.get(id));
                }
            }
        }
    }

    @Test
    void operationsNotImplementedSayItInTheDocument() {
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                String id = method.getValue().path("operationId").asText();
                boolean documented501 = method.getValue().path("summary").asText().startsWith("not implemented");
                if (NotImplementedOperations.OPERATIONS.containsKey(id)) {
                    assertThat(documented501).as(id).isTrue();
                    assertThat(method.getValue().path("responses").has("501")).as(id).isTrue();
                }
            }
        }
    }

    @Test
    void requiredFieldsAreTheOnesTheGeneratedClientValidates() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(required(schemas, "Pagination")).containsExactlyInAnyOrder("has_more", "next_offset", "results", "max_per_page");
        assertThat(required(schemas, "ObjectStats")).containsExactlyInAnyOrder("path", "path_type", "physical_address", "checksum", "mtime");
        assertThat(required(schemas, "Commit")).containsExactlyInAnyOrder("id", "parents", "committer", "message",
                "creation_date", "meta_range_id");
        assertThat(required(schemas, "Repository")).containsExactlyInAnyOrder("id", "creation_date", "default_branch", "storage_namespace");
        assertThat(required(schemas, "MergeResult")).containsExactly("reference");
        assertThat(required(schemas, "CredentialsWithSecret")).contains("secret_access_key");
    }

    @Test
    void everyReferenceResolves() {
        Matcher refs = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/components/(\\w+)/(\\w+)\"").matcher(new String(bytes));
        int count = 0;
        while (refs.find()) {
            count++;
            assertThat(doc.path("components").path(refs.group(1)).has(refs.group(2))).as(refs.group()).isTrue();
        }
        assertThat(count).isGreaterThan(50);
    }

    private static List<String> required(JsonNode schemas, String name) {
        List<String> out = new ArrayList<>();
        schemas.path(name).path("required").forEach(n -> out.add(n.asText()));
        return out;
    }
}
