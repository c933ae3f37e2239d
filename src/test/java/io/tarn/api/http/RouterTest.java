package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = Router.build(TestDocument.document(), TestDocument.echoOperations());

    private Router.Found found(String method, String path) {
        Router.Match match = router.match(method, path);
        assertThat(match).isInstanceOf(Router.Found.class);
        return (Router.Found) match;
    }

    @Test
    void documentIsParsedWithBasePathAndSecurity() {
        ApiDocument document = TestDocument.document();
        assertThat(document.basePath()).isEqualTo("/api/v0");
        assertThat(document.operations()).extracting(ApiDocument.DocumentedOperation::operationId)
                .containsExactlyInAnyOrderElementsOf(TestDocument.OPERATION_IDS);
        Map<String, Boolean> auth = new java.util.HashMap<>();
        document.operations().forEach(op -> auth.put(op.operationId(), op.authenticated()));
        assertThat(auth.get("setupLakeFS")).isFalse();
        assertThat(auth.get("healthCheck")).isFalse();
        assertThat(auth.get("listRepositories")).isTrue();
        assertThat(auth.get("uploadObject")).isTrue();
    }

    @Test
    void matchesMethodAndPathToOperationId() {
        assertThat(found("GET", "/api/v0/repositories").operation().operationId()).isEqualTo("listRepositories");
        assertThat(found("POST", "/api/v0/repositories").operation().operationId()).isEqualTo("createRepository");
        Router.Found repo = found("DELETE", "/api/v0/repositories/my-repo");
        assertThat(repo.operation().operationId()).isEqualTo("deleteRepository");
        assertThat(repo.params()).isEqualTo(Map.of("repository", "my-repo"));
        Router.Found diff = found("GET", "/api/v0/repositories/r/refs/a/diff/b");
        assertThat(diff.operation().operationId()).isEqualTo("diffRefs");
        assertThat(diff.params()).isEqualTo(Map.of("repository", "r", "leftRef", "a", "rightRef", "b"));
    }

    @Test
    void literalSegmentBeatsParameter() {
        assertThat(found("GET", "/api/v0/repositories/r/refs/main/diff/b").operation().operationId())
                .isEqualTo("diffMain");
        assertThat(found("GET", "/api/v0/repositories/r/refs/mainx/diff/b").operation().operationId())
                .isEqualTo("diffRefs");
    }

    @Test
    void pathParametersArePercentDecoded() {
        Router.Found f = found("GET", "/api/v0/repositories/a%20b/branches/feature%2Fx%7E1");
        assertThat(f.params()).isEqualTo(Map.of("repository", "a b", "branch", "feature/x~1"));
        Router.Found utf8 = found("GET", "/api/v0/repositories/caf%C3%A9");
        assertThat(utf8.params().get("repository")).isEqualTo("café");
        // '+' is not a space in a path
        assertThat(found("GET", "/api/v0/repositories/a+b").params().get("repository")).isEqualTo("a+b");
    }

    @Test
    void trailingSlashTemplatesMatchExactlyAndLeniently() {
        assertThat(found("GET", "/api/v0/repositories/r/branches/").operation().operationId()).isEqualTo("listBranches");
        // the document only has the slash form: the form without it finds the same operation
        assertThat(found("GET", "/api/v0/repositories/r/branches").operation().operationId()).isEqualTo("listBranches");
        // and the other way round
        assertThat(found("GET", "/api/v0/repositories/").operation().operationId()).isEqualTo("listRepositories");
    }

    @Test
    void unknownPathsAndWrongMethods() {
        assertThat(router.match("GET", "/api/v0/nothing")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/api/v1/repositories")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/api/v0")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/api/v0/repositories/r/branches/b/objects/extra"))
                .isInstanceOf(Router.NotFound.class);
        Router.Match wrong = router.match("PUT", "/api/v0/repositories/r");
        assertThat(wrong).isInstanceOf(Router.MethodNotAllowed.class);
        assertThat(((Router.MethodNotAllowed) wrong).allowed()).containsExactly("DELETE", "GET");
    }

    @Test
    void dotSegmentsNulAndBadEncodingAreRefused() {
        for (String path : new String[] {"/api/v0/repositories/..", "/api/v0/repositories/%2e%2E",
                "/api/v0/repositories/./x", "/api/v0/repositories/a%00b", "/api/v0/repositories/%zz",
                "/api/v0/repositories/%4", "/api/v0/repositories/%C3%28"}) {
            assertThatThrownBy(() -> router.match("GET", path)).as(path)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void refusesOperationsWithoutHandler() {
        Operations ops = new Operations();
        TestDocument.OPERATION_IDS.stream().filter(id -> !id.equals("getObject") && !id.equals("diffRefs"))
                .forEach(id -> ops.add(id, (rq, rs) -> rs.empty(204)));
        assertThatThrownBy(() -> Router.build(TestDocument.document(), ops))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("operations without a handler [diffRefs, getObject]")
                .hasMessageNotContaining("handlers not in the document");
    }

    @Test
    void refusesHandlersNotInTheDocument() {
        Operations ops = TestDocument.echoOperations().add("mergeIntoBranch", (rq, rs) -> rs.empty(204));
        assertThatThrownBy(() -> Router.build(TestDocument.document(), ops))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handlers not in the document [mergeIntoBranch]")
                .hasMessageNotContaining("without a handler");
    }

    @Test
    void refusesDocumentsWithoutOperationIdOrWithDuplicates() throws Exception {
        String noId = "{\"swagger\":\"2.0\",\"basePath\":\"/api\",\"paths\":{\"/a\":{\"get\":{}}}}";
        assertThatThrownBy(() -> ApiDocument.parse(noId.getBytes())).hasMessageContaining("GET /a has no operationId");
        String dup = "{\"swagger\":\"2.0\",\"paths\":{\"/a\":{\"get\":{\"operationId\":\"x\"}},"
                + "\"/b\":{\"get\":{\"operationId\":\"x\"}}}}";
        assertThatThrownBy(() -> ApiDocument.parse(dup.getBytes())).hasMessageContaining("used twice");
    }

    @Test
    void documentWithoutSecurityStillNeedsCredentialsUnlessExplicitlyOpen() throws Exception {
        String doc = "{\"swagger\":\"2.0\",\"paths\":{\"/a\":{\"get\":{\"operationId\":\"a\"},"
                + "\"post\":{\"operationId\":\"b\",\"security\":[]}}}}";
        ApiDocument parsed = ApiDocument.parse(doc.getBytes());
        assertThat(parsed.basePath()).isEmpty();
        assertThat(parsed.operations()).extracting(ApiDocument.DocumentedOperation::authenticated)
                .containsExactly(true, false);
    }

    @Test
    void templateOrderIsAConsistentTotalOrder() {
        // The router sorts its templates with this comparator; List.sort may throw on an inconsistent one
        // ("Comparison method violates its general contract") once there are enough routes.
        java.util.List<PathTemplate> templates = java.util.List.of(PathTemplate.parse("/a/b"), PathTemplate.parse("/a"),
                PathTemplate.parse("/a/{p}"), PathTemplate.parse("/{p}"), PathTemplate.parse("/{p}/b"),
                PathTemplate.parse("/a/b/{p}"), PathTemplate.parse("/{p}/{q}"));
        for (PathTemplate x : templates) {
            for (PathTemplate y : templates) {
                assertThat(Integer.signum(PathTemplate.specificity(x, y)))
                        .as("%s vs %s", x, y).isEqualTo(-Integer.signum(PathTemplate.specificity(y, x)));
                for (PathTemplate z : templates) {
                    int xy = Integer.signum(PathTemplate.specificity(x, y));
                    int yz = Integer.signum(PathTemplate.specificity(y, z));
                    if (xy == yz) {
                        assertThat(Integer.signum(PathTemplate.specificity(x, z))).as("%s, %s, %s", x, y, z).isEqualTo(xy);
                    }
                }
            }
        }
    }
}
