package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.api.http.FakeRequest;
import io.tarn.api.http.Operations;
import io.tarn.error.InvalidArgumentException;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.MergeSummary;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The handlers' translation of requests into engine calls and of results into wire shapes. */
class BranchCommitRefOperationsTest {
    private static final Commit COMMIT = new Commit("c".repeat(64), List.of("p".repeat(64)), "tester", "m",
            1_600_000_000L, Map.of(), "t", 2);
    private final List<Object> calls = new ArrayList<>();

    private final Operations ops = ClassicApi.operations(new UnsupportedEngine() {
        @Override
        public Repository createRepository(String id, String ns, String b) {
            calls.addAll(List.of(id, ns, b));
            return new Repository(id, ns, b, 1L);
        }

        @Override
        public Branch createBranch(String r, String n, String s) {
            calls.addAll(List.of(r, n, s));
            return new Branch(n, COMMIT.id());
        }

        @Override
        public Branch getBranch(String r, String n) {
            return new Branch(n, COMMIT.id());
        }

        @Override
        public Page<Branch> listBranches(String r, String after, int amount) {
            calls.addAll(List.of(after, amount));
            return new Page<>(List.of(new Branch("a", "1"), new Branch("main", "2")), false, null);
        }

        @Override
        public void reset(String r, String b, ResetScope s) {
            calls.add(s);
        }

        @Override
        public Commit getCommit(String r, String ref) {
            return COMMIT;
        }

        @Override
        public Commit revert(String r, String b, String c, int p, CommitRequest req) {
            calls.addAll(List.of(c, p, req.message(), req.committer()));
            return COMMIT;
        }

        @Override
        public Commit commit(String r, String b, CommitRequest c) {
            calls.add(c);
            return COMMIT;
        }

        @Override
        public Page<Commit> log(String r, String ref, boolean fp, String after, int amount) {
            calls.addAll(List.of(ref, fp, after, amount));
            return new Page<>(List.of(COMMIT), false, null);
        }

        @Override
        public Page<Change> diffRefs(String r, String l, String rr, DiffType t, String after, int amount) {
            calls.addAll(List.of(l, rr, t, after, amount));
            return new Page<>(List.of(new Change(ChangeType.ADDED, "f", null)), false, null);
        }

        @Override
        public MergeResult merge(String r, String s, String d, MergeRequest req) {
            calls.add(req);
            List<Change> changes = IntStream.range(0, 1500)
                    .mapToObj(i -> new Change(ChangeType.ADDED, "f" + i, null)).toList();
            return new MergeResult(COMMIT, changes, new MergeSummary(1500, 0, 0, 0));
        }
    });

    private RecordingResponse run(FakeRequest request) throws Exception {
        RecordingResponse response = new RecordingResponse();
        ops.asMap().get(request.operationId()).handle(request, response);
        return response;
    }

    @Test
    void createRepositoryDefaultsTheBranchAndChecksTheId() throws Exception {
        RecordingResponse response = run(new FakeRequest("createRepository")
                .body("{\"id\":\"repo-1\",\"storage_namespace\":\"local://r\"}"));
        assertThat(response.status).isEqualTo(201);
        assertThat(calls).containsExactly("repo-1", "local://r", "main");
        assertThatThrownBy(() -> run(new FakeRequest("createRepository").body("{\"id\":\"Bad_Repo\",\"storage_namespace\":\"local://r\"}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("repository.id");
        assertThatThrownBy(() -> run(new FakeRequest("createRepository").body("{\"id\":7,\"storage_namespace\":\"local://r\"}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> run(new FakeRequest("createRepository").body("[1]")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> run(new FakeRequest("createRepository")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("required");
    }

    @Test
    void createAndGetBranchAnswerTheCommitIdAsAJsonString() throws Exception {
        RecordingResponse created = run(new FakeRequest("createBranch").path("repository", "repo")
                .body("{\"name\":\"feature\",\"source\":\"main\"}"));
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json.isTextual()).isTrue();
        assertThat(created.json.asText()).isEqualTo(COMMIT.id());
        RecordingResponse got = run(new FakeRequest("getBranch").path("repository", "repo").path("branch", "feature"));
        assertThat(got.status).isEqualTo(200);
        assertThat(got.json.asText()).isEqualTo(COMMIT.id());
    }

    @Test
    void listBranchesGivesNamesWithTheDefaultAmount() throws Exception {
        RecordingResponse response = run(new FakeRequest("listBranches").path("repository", "repo"));
        assertThat(calls).containsExactly("", 100);
        assertThat(response.json.toString()).isEqualTo("{\"pagination\":{\"has_more\":false,\"results\":2,"
                + "\"max_per_page\":1000},\"results\":[\"a\",\"main\"]}");
    }

    @Test
    void revertTypesMapToResetsAndRevert() throws Exception {
        FakeRequest base = new FakeRequest("revertBranch").path("repository", "repo").path("branch", "main");
        assertThat(run(base.body("{\"type\":\"reset\"}")).status).isEqualTo(204);
        run(base.body("{\"type\":\"object\",\"path\":\"a/b\"}"));
        run(base.body("{\"type\":\"common_prefix\",\"path\":\"a/\"}"));
        assertThat(calls).containsExactly(new ResetScope.All(), new ResetScope.Path("a/b"), new ResetScope.Prefix("a/"));
        calls.clear();
        run(base.body("{\"type\":\"commit\",\"commit\":\"cccccc\"}"));
        assertThat(calls).containsExactly(COMMIT.id(), 1, "Revert " + COMMIT.id(), "tester");
        assertThatThrownBy(() -> run(base.body("{\"type\":\"object\"}"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run(base.body("{\"type\":\"common_prefix\"}"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run(base.body("{\"type\":\"commit\"}"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run(base.body("{\"type\":\"bogus\"}"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("revert.type");
    }

    @Test
    void commitNeedsAMessageAndRecordsTheCommitter() throws Exception {
        FakeRequest base = new FakeRequest("commit").path("repository", "repo").path("branch", "main");
        RecordingResponse response = run(base.body("{\"message\":\"hello\",\"metadata\":{\"using\":\"python_api\"}}"));
        assertThat(response.status).isEqualTo(201);
        assertThat(calls).containsExactly(new CommitRequest("hello", "tester", Map.of("using", "python_api"), false));
        assertThat(response.json.path("creation_date").asLong()).isEqualTo(1_600_000_000L);
        for (String bad : List.of("{\"message\":\"\"}", "{\"message\":\"  \"}", "{}", "{\"message\":1}",
                "{\"message\":\"m\",\"metadata\":{\"k\":1}}", "{\"message\":\"m\",\"metadata\":[]}")) {
            assertThatThrownBy(() -> run(base.body(bad))).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void stringsWithAnUnpairedSurrogateAreRefusedRatherThanStoredMangled() {
        // JSON escapes can carry a lone surrogate; it has no UTF-8 form, so storing it would turn it into '?'.
        // (Jackson itself refuses one in a field name.)
        FakeRequest commit = new FakeRequest("commit").path("repository", "repo").path("branch", "main");
        for (String bad : List.of("{\"message\":\"\\ud800 x\"}", "{\"message\":\"x \\udc00\"}",
                "{\"message\":\"m\",\"metadata\":{\"k\":\"\\ud83d\"}}")) {
            assertThatThrownBy(() -> run(commit.body(bad))).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("unpaired surrogate");
        }
        FakeRequest merge = new FakeRequest("mergeIntoBranch").path("repository", "repo").path("sourceRef", "feature")
                .path("destinationRef", "main").body("{\"message\":\"\\ud800\"}");
        assertThatThrownBy(() -> run(merge)).isInstanceOf(InvalidArgumentException.class);
        FakeRequest repository = new FakeRequest("createRepository")
                .body("{\"id\":\"repo\",\"storage_namespace\":\"local://\\ud800\"}");
        assertThatThrownBy(() -> run(repository)).isInstanceOf(InvalidArgumentException.class);
        assertThat(calls).isEmpty();
    }

    @Test
    void logStartsAtTheBranchHead() throws Exception {
        RecordingResponse response = run(new FakeRequest("getBranchCommitLog").path("repository", "repo")
                .path("branch", "main").query("after", "x").query("amount", "10"));
        assertThat(calls).containsExactly(COMMIT.id(), false, "x", 10);
        assertThat(response.json.path("results").get(0).path("id").asText()).isEqualTo(COMMIT.id());
    }

    @Test
    void diffRefsDefaultsToThreeDot() throws Exception {
        FakeRequest base = new FakeRequest("diffRefs").path("repository", "repo").path("leftRef", "feature")
                .path("rightRef", "main");
        run(base);
        assertThat(calls).containsExactly("feature", "main", DiffType.THREE_DOT, "", 1000);
        calls.clear();
        run(base.query("type", "two_dot").query("amount", "3"));
        assertThat(calls).containsExactly("feature", "main", DiffType.TWO_DOT, "", 3);
        assertThatThrownBy(() -> run(base.query("type", "four_dot"))).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void mergeWithoutABodyAndWithAStrategy() throws Exception {
        FakeRequest base = new FakeRequest("mergeIntoBranch").path("repository", "repo").path("sourceRef", "feature")
                .path("destinationRef", "main");
        RecordingResponse response = run(base);
        assertThat(response.status).isEqualTo(200);
        assertThat(calls).containsExactly(new MergeRequest(null, "tester", Map.of(), MergeStrategy.NONE));
        assertThat(response.json.path("results")).hasSize(1000);
        assertThat(response.json.path("reference").asText()).isEqualTo(COMMIT.id());
        assertThat(response.json.path("summary").toString())
                .isEqualTo("{\"added\":1500,\"removed\":0,\"changed\":0,\"conflict\":0}");
        calls.clear();
        run(base.body("{\"message\":\"m\",\"metadata\":{\"a\":\"b\"},\"strategy\":\"source-wins\"}"));
        assertThat(calls).containsExactly(new MergeRequest("m", "tester", Map.of("a", "b"), MergeStrategy.SOURCE_WINS));
        calls.clear();
        run(base.body("{\"strategy\":\"dest-wins\"}"));
        assertThat(calls).containsExactly(new MergeRequest(null, "tester", Map.of(), MergeStrategy.DEST_WINS));
        assertThatThrownBy(() -> run(base.body("{\"strategy\":\"theirs\"}"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run(base.path("destinationRef", "a/b"))).isInstanceOf(InvalidArgumentException.class);
    }
}
