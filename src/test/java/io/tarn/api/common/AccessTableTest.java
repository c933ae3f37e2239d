package io.tarn.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.api.classic.ClassicSurface;
import io.tarn.api.current.CurrentSurface;
import io.tarn.api.http.ApiDocument;
import io.tarn.auth.policy.Actions;
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
}
