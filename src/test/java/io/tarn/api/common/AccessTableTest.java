package io.tarn.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.api.classic.ClassicSurface;
import io.tarn.api.current.CurrentSurface;
import io.tarn.api.http.ApiDocument;
import io.tarn.api.http.FakeRequest;
import io.tarn.auth.policy.Actions;
import io.tarn.auth.policy.Arns;
import io.tarn.auth.policy.Permission;
import java.util.List;
import java.util.Map;
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

    private static FakeRequest request(String operationId, Map<String, String> path, Map<String, String> query,
                                       String json) {
        return FakeRequest.of(operationId, path, query, json).as("alice");
    }

    private static List<Permission> required(Map<String, AccessTable.Rule> table, FakeRequest request) {
        return AccessTable.required(table.get(request.operationId()), request);
    }

    @Test
    void templatesAreFilledFromTheRequest() {
        Map<String, String> repo = Map.of("repository", "r", "branch", "main", "ref", "main");
        assertThat(required(AccessTable.CLASSIC, request("statObject", repo, Map.of("path", "a/b.csv"), null)))
                .containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "a/b.csv")));
        // a value holding braces is a value, never a placeholder
        assertThat(required(AccessTable.CLASSIC, request("getObject", repo, Map.of("path", "x/{repository}/{?path}"), null)))
                .containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "x/{repository}/{?path}")));
        assertThat(required(AccessTable.CLASSIC, request("statObject", repo, Map.of(), null)))
                .containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "")));
        assertThat(required(AccessTable.CURRENT, request("listRepositories", Map.of(), Map.of(), null)))
                .containsExactly(new Permission(Actions.LIST_REPOSITORIES, "*"));
        assertThat(required(AccessTable.CURRENT, request("copyObject", repo, Map.of("dest_path", "d"),
                "{\"src_path\": \"s\"}"))).containsExactly(new Permission(Actions.READ_OBJECT, Arns.object("r", "s")),
                new Permission(Actions.WRITE_OBJECT, Arns.object("r", "d")));
        assertThat(required(AccessTable.CURRENT, request("deleteObjects", repo, Map.of(),
                "{\"paths\": [\"a\", \"b\"]}"))).containsExactly(new Permission(Actions.DELETE_OBJECT, Arns.object("r", "a")),
                new Permission(Actions.DELETE_OBJECT, Arns.object("r", "b")));
        assertThat(required(AccessTable.CURRENT, request("deleteObjects", repo, Map.of(), "[1]")))
                .containsExactly(new Permission(Actions.DELETE_OBJECT, Arns.object("r", "")));
        assertThat(required(AccessTable.CLASSIC, request("createRepository", Map.of(), Map.of(),
                "{\"id\": \"n\", \"storage_namespace\": {\"not\": \"text\"}}"))).containsExactly(
                new Permission(Actions.CREATE_REPOSITORY, Arns.repository("n")),
                new Permission(Actions.ATTACH_STORAGE_NAMESPACE, Arns.namespace("")));
        assertThat(required(AccessTable.CLASSIC, request("getCurrentUser", Map.of(), Map.of(), null))).isEmpty();
    }
}
