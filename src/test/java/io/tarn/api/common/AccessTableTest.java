package io.tarn.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.api.classic.ClassicSurface;
import io.tarn.api.current.CurrentSurface;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.api.http.ApiDocument;
import io.tarn.api.http.ApiRequest;
import io.tarn.auth.Principal;
import io.tarn.auth.policy.Actions;
import io.tarn.auth.policy.Arns;
import io.tarn.auth.policy.Permission;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every operation of each JSON document has exactly one access rule, and the rules name known actions. */
class AccessTableTest {

    private static void coversExactly(byte[] document, Map<String, AccessTable.Rule> table) throws Exception {
        ApiDocument parsed = ApiDocument.parse(document);
        Set<String> documented = parsed.operations().stream().map(ApiDocument.DocumentedOperation::operationId)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(table.keySet())).isEqualTo(documented);
        Map<String, Boolean> publicInDocument = new TreeMap<>();
        Map<String, Boolean> publicInTable = new TreeMap<>();
        for (ApiDocument.DocumentedOperation op : parsed.operations()) {
            publicInDocument.put(op.operationId(), !op.authenticated());
            publicInTable.put(op.operationId(), table.get(op.operationId()) instanceof AccessTable.Public);
        }
        assertThat(publicInTable).isEqualTo(publicInDocument);
        for (AccessTable.Rule rule : table.values()) {
            if (rule instanceof AccessTable.Needs needs) {
                assertThat(needs.needs()).isNotEmpty();
                for (AccessTable.Need need : needs.needs()) {
                    assertThat(Actions.ALL).contains(need.action());
                    assertThat(need.resource()).matches("\\*|arn:lakefs:(fs|auth):::.+");
                }
            }
        }
    }

    @Test
    void classicDocument() throws Exception {
        coversExactly(ClassicSurface.document(), AccessTable.CLASSIC);
    }

    @Test
    void currentDocument() throws Exception {
        coversExactly(CurrentSurface.document(), AccessTable.CURRENT);
    }

    @Test
    void theClassicDocumentHasThe27AuthOperationsOf2020() throws Exception {
        Set<String> auth = ApiDocument.parse(ClassicSurface.document()).operations().stream()
                .filter(op -> op.path().template().startsWith("/auth/"))
                .map(ApiDocument.DocumentedOperation::operationId).collect(Collectors.toSet());
        assertThat(auth).hasSize(27);
    }

    /** A request of {@code operationId} with these path and query parameters and JSON body. */
    private record Request(String operationId, Map<String, String> path, Map<String, String> query, String json)
            implements ApiRequest {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String pathParam(String name) {
            return path.get(name);
        }

        @Override
        public Optional<String> query(String name) {
            return Optional.ofNullable(query.get(name));
        }

        @Override
        public List<String> queryAll(String name) {
            return query(name).stream().toList();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Principal> principal() {
            return Optional.of(new Principal("alice"));
        }

        @Override
        public boolean hasBody() {
            return json != null;
        }

        @Override
        public <T> T jsonBody(Class<T> type) {
            try {
                return new ObjectMapper().readValue(json == null ? "null" : json, type);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public InputStream multipartFile(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream body() {
            throw new UnsupportedOperationException();
        }
    }

    private static List<Permission> required(Map<String, AccessTable.Rule> table, Request request) {
        return AccessTable.required(table.get(request.operationId()), request);
    }

    @Test
    void templatesAreFilledFromTheRequest() {
        Map<String, String> repo = Map.of("repository", "r", "branch", "main", "ref", "main");
        assertThat(required(AccessTable.CLASSIC, new Request("statObject", repo, Map.of("path", "a/b.csv"), null)))
                .containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "a/b.csv")));
        // a value holding braces is a value, never a placeholder
        assertThat(required(AccessTable.CLASSIC, new Request("getObject", repo, Map.of("path", "x/{repository}/{?path}"), null)))
                .containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "x/{repository}/{?path}")));
        assertThat(required(AccessTable.CLASSIC, new Request("statObject", repo, Map.of(), null)))
                .containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "")));
        assertThat(required(AccessTable.CURRENT, new Request("listRepositories", Map.of(), Map.of(), null)))
                .containsExactly(new Permission(Actions.LIST_REPOSITORIES, "*"));
        assertThat(required(AccessTable.CURRENT, new Request("copyObject", repo, Map.of("dest_path", "d"),
                "{\"src_path\": \"s\"}"))).containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "s")),
                new Permission(Actions.WRITE_OBJECT, Arns.object("r", "d")));
        assertThat(required(AccessTable.CURRENT, new Request("deleteObjects", repo, Map.of(),
                "{\"paths\": [\"a\", \"b\"]}"))).containsExactly(new Permission(Actions.DELETE_OBJECT, Arns.object("r", "a")),
                new Permission(Actions.DELETE_OBJECT, Arns.object("r", "b")));
        assertThat(required(AccessTable.CURRENT, new Request("deleteObjects", repo, Map.of(), "[1]")))
                .containsExactly(new Permission(Actions.DELETE_OBJECT, Arns.object("r", "")));
        assertThat(required(AccessTable.CLASSIC, new Request("createRepository", Map.of(), Map.of(),
                "{\"id\": \"n\", \"storage_namespace\": {\"not\": \"text\"}}"))).containsExactly(
                new Permission(Actions.CREATE_REPOSITORY, Arns.repository("n")),
                new Permission(Actions.ATTACH_STORAGE_NAMESPACE, Arns.namespace("")));
        assertThat(required(AccessTable.CLASSIC, new Request("getCurrentUser", Map.of(), Map.of(), null))).isEmpty();
    }
}
