package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.model.MergeRequest;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each engine operation reads its repository record once and passes it down (counted on the KV store). */
class RepositoryReadsTest {

    private static final String R = "counted";
    private static final String REPO_KEY = "repo/" + R;

    @TempDir
    Path tmp;

    private CountingKvStore kv;
    private TarnEngine engine;

    @BeforeEach
    void setUp() {
        kv = new CountingKvStore(new MemoryKvStore());
        engine = new TarnEngine(kv, new MemoryBlockStore(), EngineConfig.defaults(tmp.resolve("cache")));
        engine.createRepository(R, "mem://counted", "main");
        engine.createBranch(R, "feature", "main");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private ObjectEntry put(String branch, String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        return engine.putObject(R, branch, path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    /** Runs {@code op} and returns how many times it read the repository record. */
    private <T> int repoReads(Supplier<T> op) {
        kv.reset();
        op.get();
        return kv.gets(REPO_KEY);
    }

    @Test
    void objectOperationsReadTheRepositoryOnce() throws IOException {
        put("main", "warm"); // the first write also learns the branch's staging token
        assertThat(repoReads(() -> put("main", "a.txt"))).isEqualTo(1);
        assertThat(kv.gets("branch/" + R + "/main")).as("branch reads of a put: the re-read after the write")
                .isEqualTo(1);

        // the upload handler's form: the body is opened by the engine after its one check
        kv.reset();
        byte[] body = "b".getBytes(StandardCharsets.UTF_8);
        engine.putObject(R, "main", "b.txt", () -> new ByteArrayInputStream(body), body.length, null, Map.of());
        assertThat(kv.gets(REPO_KEY)).isEqualTo(1);
        assertThat(kv.gets("branch/" + R + "/main")).isEqualTo(1);

        assertThat(repoReads(() -> engine.statObject(R, "main", "a.txt"))).isEqualTo(1);

        // getObject's read path: the repository read once, then stat and read in it
        kv.reset();
        Repository repo = engine.getRepository(R);
        ObjectEntry entry = engine.statObject(repo, "main", "a.txt");
        try (InputStream in = engine.readObject(repo, entry, null)) {
            assertThat(in.readAllBytes()).isEqualTo("a.txt".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(kv.gets(REPO_KEY)).isEqualTo(1);
        assertThat(repoReads(() -> engine.readObject(R, entry, null))).isEqualTo(1);
        assertThat(repoReads(() -> engine.listObjects(R, "main", "", "/", null, 10))).isEqualTo(1);
        assertThat(repoReads(() -> engine.stageObject(R, "main", entry))).isLessThanOrEqualTo(1);
    }

    @Test
    void commitsAndMergesReadTheRepositoryOnce() {
        put("main", "a.txt");
        assertThat(repoReads(() -> engine.commit(R, "main", new CommitRequest("one", "me", Map.of(), false))))
                .isEqualTo(1);
        put("feature", "b.txt");
        Commit c = engine.commit(R, "feature", new CommitRequest("two", "me", Map.of(), false));
        assertThat(repoReads(() -> engine.merge(R, "feature", "main", new MergeRequest(null, null, null, null))))
                .isEqualTo(1);
        assertThat(repoReads(() -> engine.revert(R, "main", c.id(), 1, new CommitRequest(null, null, null, false))))
                .isEqualTo(1);
        assertThat(repoReads(() -> engine.diffRefs(R, "main", "feature", io.tarn.engine.model.DiffType.TWO_DOT,
                null, 10))).isEqualTo(1);
        assertThat(repoReads(() -> engine.diffBranch(R, "main", null, 10))).isEqualTo(1);
        assertThat(repoReads(() -> engine.log(R, "main", false, null, 10))).isEqualTo(1);
        assertThat(repoReads(() -> {
            engine.reset(R, "feature", new ResetScope.All());
            return null;
        })).isEqualTo(1);
        assertThat(repoReads(() -> {
            engine.deleteBranch(R, "feature");
            return null;
        })).isEqualTo(1);
    }
}
