package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.api.http.FakeRequest;
import io.tarn.api.common.ObjectReads;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.Operations;
import io.tarn.block.ByteRange;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectOperationsTest {
    private static final byte[] DATA = "0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectEntry ENTRY = new ObjectEntry("dir/file name.csv", "data/1", DATA.length,
            "781e5e245d69b566979b86e28d23f2c7", 1_600_000_000_123L, null, Map.of());

    /** Serves {@link #ENTRY} and records the ranges read. */
    private static final class ObjectEngine extends UnsupportedEngine {
        final List<ByteRange> reads = new ArrayList<>();

        @Override
        public Repository getRepository(String id) {
            return new Repository(id, "mem://" + id, "main", 0);
        }

        @Override
        public ObjectEntry statObject(String r, String ref, String p) {
            if (!p.equals(ENTRY.path())) {
                throw new NotFoundException(NotFoundException.Kind.OBJECT, p);
            }
            return ENTRY;
        }

        @Override
        public LocatedObject locateObject(String r, String ref, String p) {
            return new LocatedObject(getRepository(r), statObject(r, ref, p));
        }

        @Override
        public InputStream readObject(String r, ObjectEntry e, ByteRange range) {
            reads.add(range);
            return range == null ? new ByteArrayInputStream(DATA)
                    : new ByteArrayInputStream(Arrays.copyOfRange(DATA, (int) range.first(), (int) range.last() + 1));
        }
    }

    private final ObjectEngine engine = new ObjectEngine();
    private final Operations ops = ClassicApi.operations(engine);

    private RecordingResponse run(FakeRequest request) throws Exception {
        RecordingResponse response = new RecordingResponse();
        ops.asMap().get(request.operationId()).handle(request, response);
        return response;
    }

    private FakeRequest getObject() {
        return new FakeRequest("getObject").path("repository", "repo").path("ref", "main").query("path", ENTRY.path());
    }

    @Test
    void getObjectStreamsTheWholeObjectWithItsHeaders() throws Exception {
        RecordingResponse response = run(getObject());
        assertThat(response.status).isEqualTo(200);
        assertThat(response.contentType).isEqualTo("application/octet-stream");
        assertThat(response.contentLength).isEqualTo(10);
        assertThat(response.bytes).isEqualTo(DATA);
        assertThat(response.headers).containsEntry("ETag", "\"781e5e245d69b566979b86e28d23f2c7\"")
                .containsEntry("Last-Modified", "Sun, 13 Sep 2020 12:26:40 GMT")
                .containsEntry("Content-Disposition", "attachment; filename=\"file name.csv\"")
                .containsEntry("Accept-Ranges", "bytes")
                .doesNotContainKey("Content-Range");
        assertThat(engine.reads).containsExactly((ByteRange) null);
    }

    @Test
    void getObjectServesOneRange() throws Exception {
        RecordingResponse response = run(getObject().header("Range", "bytes=2-4"));
        assertThat(response.status).isEqualTo(206);
        assertThat(response.contentLength).isEqualTo(3);
        assertThat(new String(response.bytes, StandardCharsets.US_ASCII)).isEqualTo("234");
        assertThat(response.headers).containsEntry("Content-Range", "bytes 2-4/10");
        assertThat(engine.reads).containsExactly(new ByteRange(2, 4));
    }

    @Test
    void getObjectAnswers416ForARangeAfterTheEnd() {
        RecordingResponse response = new RecordingResponse();
        assertThatThrownBy(() -> ops.asMap().get("getObject").handle(getObject().header("Range", "bytes=10-"), response))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(416);
                    assertThat(e.headers()).containsEntry("Content-Range", "bytes */10");
                });
        assertThat(engine.reads).isEmpty();
    }

    @Test
    void getObjectNeedsAPath() {
        assertThatThrownBy(() -> run(new FakeRequest("getObject").path("repository", "repo").path("ref", "main")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("path");
        assertThatThrownBy(() -> run(getObject().query("path", "")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void contentDispositionEscapesAndEncodes() {
        assertThat(ObjectReads.contentDisposition("a/b\"c.txt")).isEqualTo("attachment; filename=\"b\\\"c.txt\"");
        assertThat(ObjectReads.contentDisposition("données/é.csv"))
                .isEqualTo("attachment; filename=\"_.csv\"; filename*=UTF-8''%C3%A9.csv");
    }

    @Test
    void uploadHandsThePartStreamToTheEngineUnread() throws Exception {
        InputStream part = new ByteArrayInputStream(DATA);
        List<Object> seen = new ArrayList<>();
        Operations upload = ClassicApi.operations(new UnsupportedEngine() {
            @Override
            public Branch getBranch(String r, String n) {
                return new Branch(n, "c1");
            }

            @Override
            public ObjectEntry putObject(String r, String b, String p, InputStream c, long l, String t,
                                         Map<String, String> m) {
                seen.addAll(List.of(r, b, p, c, l));
                return ENTRY;
            }
        });
        RecordingResponse response = new RecordingResponse();
        upload.asMap().get("uploadObject").handle(new FakeRequest("uploadObject").path("repository", "repo")
                .path("branch", "main").query("path", "dir/file name.csv").file("content", part), response);
        assertThat(seen).containsExactly("repo", "main", "dir/file name.csv", part, -1L);
        assertThat(response.status).isEqualTo(201);
        assertThat(response.json.path("checksum").asText()).isEqualTo(ENTRY.checksum());
        assertThat(response.json.path("mtime").asLong()).isEqualTo(1_600_000_000L);
        assertThat(response.json.path("size_bytes").asLong()).isEqualTo(10);
        assertThat(response.json.path("path_type").asText()).isEqualTo("object");
    }

    @Test
    void uploadChecksTheBranchBeforeReadingTheBody() throws Exception {
        Operations upload = ClassicApi.operations(new UnsupportedEngine() {
            @Override
            public Branch getBranch(String r, String n) {
                throw new NotFoundException(NotFoundException.Kind.BRANCH, n);
            }
        });
        InputStream part = new ByteArrayInputStream(DATA);
        assertThatThrownBy(() -> upload.asMap().get("uploadObject").handle(new FakeRequest("uploadObject")
                .path("repository", "repo").path("branch", "nope").query("path", "x").file("content", part),
                new RecordingResponse())).isInstanceOf(NotFoundException.class);
        assertThat(part.available()).isEqualTo(DATA.length);
    }

    @Test
    void listObjectsPassesPrefixDelimiterAndPaging() throws Exception {
        List<Object> seen = new ArrayList<>();
        Operations list = ClassicApi.operations(new UnsupportedEngine() {
            @Override
            public Page<ListItem> listObjects(String r, String ref, String prefix, String d, String after, int amount) {
                seen.addAll(List.of(prefix, d, after, amount));
                return new Page<>(List.of(new CommonPrefix("a/b/"), ENTRY), true, ENTRY.path());
            }
        });
        RecordingResponse response = new RecordingResponse();
        list.asMap().get("listObjects").handle(new FakeRequest("listObjects").path("repository", "repo")
                .path("ref", "main").query("prefix", "a/").query("amount", "5000"), response);
        assertThat(seen).containsExactly("a/", "/", "", 1000);
        assertThat(response.json.path("pagination").toString()).isEqualTo(
                "{\"has_more\":true,\"next_offset\":\"dir/file name.csv\",\"results\":2,\"max_per_page\":1000}");
        assertThat(response.json.path("results").get(0).toString()).isEqualTo("{\"path\":\"a/b/\",\"path_type\":\"common_prefix\"}");

        seen.clear();
        list.asMap().get("listObjects").handle(new FakeRequest("listObjects").path("repository", "repo")
                .path("ref", "main").query("delimiter", "").query("after", "a/b").query("amount", "2"), new RecordingResponse());
        assertThat(seen).containsExactly("", "", "a/b", 2);
    }
}
