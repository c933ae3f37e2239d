package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.api.http.FakeRequest;
import io.tarn.api.http.Operations;
import io.tarn.error.InvalidArgumentException;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Tag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagOperationsTest {
    private final List<Object> calls = new ArrayList<>();
    private final Operations ops = ClassicApi.operations(new UnsupportedEngine() {
        @Override
        public Tag createTag(String r, String n, String ref) {
            calls.addAll(List.of(r, n, ref));
            return new Tag(n, "c1");
        }

        @Override
        public Tag getTag(String r, String n) {
            return new Tag(n, "c2");
        }

        @Override
        public Page<Tag> listTags(String r, String after, int amount) {
            calls.addAll(List.of(after, amount));
            return new Page<>(List.of(new Tag("v1", "c1")), true, "v1");
        }

        @Override
        public void deleteTag(String r, String n) {
            calls.add("deleted " + n);
        }
    });

    private RecordingResponse run(FakeRequest request) throws Exception {
        RecordingResponse response = new RecordingResponse();
        ops.asMap().get(request.operationId()).handle(request, response);
        return response;
    }

    @Test
    void createGetListDelete() throws Exception {
        RecordingResponse created = run(new FakeRequest("createTag").path("repository", "repo")
                .body("{\"id\":\"v1\",\"ref\":\"main~1\"}"));
        assertThat(created.status).isEqualTo(201);
        assertThat(created.json.toString()).isEqualTo("{\"id\":\"v1\",\"commit_id\":\"c1\"}");
        assertThat(calls).containsExactly("repo", "v1", "main~1");
        assertThat(run(new FakeRequest("getTag").path("repository", "repo").path("tag", "v1")).json.toString())
                .isEqualTo("{\"id\":\"v1\",\"commit_id\":\"c2\"}");
        calls.clear();
        RecordingResponse listed = run(new FakeRequest("listTags").path("repository", "repo"));
        assertThat(calls).containsExactly("", 100);
        assertThat(listed.json.toString()).isEqualTo("{\"pagination\":{\"has_more\":true,\"next_offset\":\"v1\","
                + "\"results\":1,\"max_per_page\":1000},\"results\":[{\"id\":\"v1\",\"commit_id\":\"c1\"}]}");
        assertThat(run(new FakeRequest("deleteTag").path("repository", "repo").path("tag", "v1")).status).isEqualTo(204);
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> run(new FakeRequest("createTag").path("repository", "repo")
                .body("{\"id\":\"v 1\",\"ref\":\"main\"}"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run(new FakeRequest("createTag").path("repository", "repo")
                .body("{\"id\":\"v1\"}"))).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("tag.ref");
        assertThatThrownBy(() -> run(new FakeRequest("getTag").path("repository", "repo").path("tag", "a/b")))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
