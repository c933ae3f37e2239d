package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.LocatedObject;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.error.NotFoundException;
import io.tarn.error.TooManyRetriesException;
import io.tarn.kv.ForwardingKvStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an upload and a read of an object cost in calls to the metadata store (on PostgreSQL each
 * call is one statement, so one round trip): on a branch the engine has used lately, an upload is
 * two (the staged entry, then the branch and repository re-read together) and a read is one (the
 * staged entry, the branch and the repository together; at a tag or a commit id too), and a createBranch
 * is two (one read, one write). A second engine on the same store moves the
 * branch, deletes it, or deletes and creates the repository again behind the first one's hints: the
 * answers stay right.
 */
class RoundTripsTest extends EngineBackendTest {

    private static final String R = "trips";

    @TempDir
    Path tmp;

    private CountingKvStore kv;
    private MemoryBlockStore blocks;
    private TarnEngine engine;
    private TarnEngine other;

    @BeforeEach
    void setUp() {
        kv = new CountingKvStore(newKv());
        blocks = new MemoryBlockStore();
        engine = new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache-a")));
        other = new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache-b")));
        engine.createRepository(R, "mem://trips", "main");
    }

    @AfterEach
    void tearDown() {
        engine.close();
        other.close();
    }

    private static ObjectEntry put(TarnEngine e, String branch, String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return e.putObject(R, branch, path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    private static String read(TarnEngine e, String ref, String path) throws Exception {
        LocatedObject found = e.locateObject(R, ref, path);
        try (InputStream in = e.readObject(found.repository(), found.entry(), null)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private int calls(Runnable op) {
        kv.reset();
        op.run();
        return kv.calls();
    }

    @Test
    void uploadIsTwoCallsAndAReadIsOne() throws Exception {
        assertThat(calls(() -> put(engine, "main", "cold.txt", "cold")))
                .as("the first upload to a branch reads it first").isEqualTo(3);
        assertThat(calls(() -> put(engine, "main", "a.txt", "a"))).as("upload").isEqualTo(2);
        assertThat(calls(() -> put(engine, "main", "a.txt", "a2"))).as("overwrite").isEqualTo(2);
        assertThat(calls(() -> engine.lastReadRepository(R))).as("the repository an upload answers with").isZero();
        assertThat(calls(() -> engine.locateObject(R, "main", "a.txt"))).as("read of a staged object").isEqualTo(1);
        assertThat(read(engine, "main", "a.txt")).isEqualTo("a2");

        engine.commit(R, "main", new CommitRequest("one", "me", Map.of(), false));
        assertThat(calls(() -> engine.locateObject(R, "main", "a.txt")))
                .as("the first read after a commit learns the new token").isLessThanOrEqualTo(2);
        assertThat(calls(() -> engine.locateObject(R, "main", "a.txt"))).as("read of a committed object").isEqualTo(1);
        assertThat(calls(() -> engine.statObject(R, "main", "a.txt"))).as("stat").isEqualTo(1);
        assertThat(calls(() -> assertThatThrownBy(() -> engine.locateObject(R, "main", "nothing"))
                .isInstanceOf(NotFoundException.class))).as("read of a missing object").isEqualTo(1);
        assertThat(calls(() -> put(engine, "main", "b.txt", "b"))).as("upload after a commit").isEqualTo(2);

        engine.deleteObject(R, "main", "a.txt");
        assertThat(calls(() -> assertThatThrownBy(() -> engine.locateObject(R, "main", "a.txt"))
                .isInstanceOf(NotFoundException.class))).as("read of an object deleted on the branch").isEqualTo(1);
        assertThat(read(engine, "main@", "a.txt")).as("still committed").isEqualTo("a2");
    }

    @Test
    void aReadAtACommitIdOrATagIsOneCall() throws Exception {
        put(engine, "main", "a.txt", "a");
        String id = engine.commit(R, "main", new CommitRequest("one", "me", Map.of(), false)).id();
        engine.createTag(R, "v1", id);
        assertThat(read(engine, id, "a.txt")).isEqualTo("a");
        assertThat(calls(() -> engine.locateObject(R, id, "a.txt"))).as("at a full commit id").isEqualTo(1);
        assertThat(calls(() -> engine.statObject(R, id, "a.txt"))).as("stat at a full commit id").isEqualTo(1);
        assertThat(read(engine, "v1", "a.txt")).isEqualTo("a");
        assertThat(calls(() -> engine.locateObject(R, "v1", "a.txt"))).as("at a tag").isEqualTo(1);
        assertThat(calls(() -> assertThatThrownBy(() -> engine.locateObject(R, id, "nothing"))
                .isInstanceOf(NotFoundException.class))).as("a missing object at a commit id").isEqualTo(1);
        // the tag deleted through another engine: gone at once, never served from memory
        other.deleteTag(R, "v1");
        assertThatThrownBy(() -> engine.locateObject(R, "v1", "a.txt")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void createBranchIsOneReadAndOneWrite() {
        put(engine, "main", "a.txt", "a");
        String first = engine.commit(R, "main", new CommitRequest("one", "me", Map.of(), false)).id();
        engine.createTag(R, "v1", first);
        engine.locateObject(R, "main", "a.txt");
        assertThat(calls(() -> engine.createBranch(R, "from-branch", "main"))).as("from a branch").isEqualTo(2);
        assertThat(calls(() -> engine.createBranch(R, "from-tag", "v1"))).as("from a tag").isEqualTo(2);
        assertThat(calls(() -> engine.createBranch(R, "from-commit", first))).as("from a commit id").isEqualTo(2);
        assertThat(calls(() -> engine.createBranch(R, "from-parent", "main~0"))).as("with a modifier").isEqualTo(2);
        assertThat(engine.getBranch(R, "from-tag").commitId()).isEqualTo(first);
        assertThat(engine.getBranch(R, "from-commit").commitId()).isEqualTo(first);
        assertThat(calls(() -> assertThatThrownBy(() -> engine.createBranch(R, "from-branch", "main"))
                .isInstanceOf(io.tarn.error.AlreadyExistsException.class))).as("an existing branch: no write").isEqualTo(1);
        assertThatThrownBy(() -> engine.createBranch(R, "v1", "main")).isInstanceOf(io.tarn.error.AlreadyExistsException.class)
                .hasMessageContaining("tag");
        assertThatThrownBy(() -> engine.createBranch(R, "x", "nothing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.createBranch("no-such-repo", "x", "main")).isInstanceOf(NotFoundException.class);
        // a branch created and deleted through another engine: this one sees both at once
        other.createBranch(R, "theirs", "main");
        assertThatThrownBy(() -> engine.createBranch(R, "theirs", "main")).isInstanceOf(io.tarn.error.AlreadyExistsException.class);
        other.deleteBranch(R, "theirs");
        assertThat(engine.createBranch(R, "theirs", "from-tag").commitId()).isEqualTo(first);
    }

    @Test
    void aCommitThroughAnotherEngineIsSeenAtOnce() throws Exception {
        put(engine, "main", "a.txt", "a");
        assertThat(read(engine, "main", "a.txt")).isEqualTo("a");
        other.commit(R, "main", new CommitRequest("by the other", "me", Map.of(), false));
        // the hinted token is sealed and dropped: the entry is read from the new head's tree
        assertThat(read(engine, "main", "a.txt")).isEqualTo("a");
        // an upload into the hinted (now stale) token moves to the current one
        put(engine, "main", "b.txt", "b");
        assertThat(read(other, "main", "b.txt")).isEqualTo("b");
        other.commit(R, "main", new CommitRequest("two", "me", Map.of(), false));
        assertThat(read(engine, "main@", "b.txt")).isEqualTo("b");
        assertThat(other.diffBranch(R, "main", null, 10).items()).isEmpty();
    }

    @Test
    void aCommitBetweenTheBranchReadAndTheStagingReadIsNoMiss() throws Exception {
        put(engine, "main", "a.txt", "a");
        boolean[] armed = {true};
        // a reader that knows nothing yet; right after its first read of the branch record, another
        // engine commits (sealing, committing and dropping the token that record names)
        ForwardingKvStore hooked = new ForwardingKvStore(kv) {
            @Override
            public java.util.List<java.util.Optional<byte[]>> getAll(java.util.List<byte[]> keys) {
                java.util.List<java.util.Optional<byte[]>> values = in.getAll(keys);
                if (armed[0]) {
                    armed[0] = false;
                    other.commit(R, "main", new CommitRequest("in between", "me", Map.of(), false));
                }
                return values;
            }
        };
        try (TarnEngine cold = new TarnEngine(hooked, blocks, EngineConfig.defaults(tmp.resolve("cache-c")))) {
            assertThat(read(cold, "main", "a.txt")).isEqualTo("a");
            assertThat(armed[0]).as("the commit ran in between").isFalse();
        }
    }

    @Test
    void aBranchDeletedThroughAnotherEngineIsGone() throws Exception {
        engine.createBranch(R, "feature", "main");
        put(engine, "feature", "a.txt", "a");
        assertThat(read(engine, "feature", "a.txt")).isEqualTo("a");
        other.deleteBranch(R, "feature");
        assertThatThrownBy(() -> engine.locateObject(R, "feature", "a.txt")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> put(engine, "feature", "b.txt", "b")).isInstanceOf(NotFoundException.class);
        other.createBranch(R, "feature", "main");
        assertThatThrownBy(() -> engine.locateObject(R, "feature", "a.txt")).isInstanceOf(NotFoundException.class);
        put(engine, "feature", "b.txt", "b");
        assertThat(read(other, "feature", "b.txt")).isEqualTo("b");
    }

    @Test
    void aRepositoryCreatedAgainThroughAnotherEngineIsNotWrittenAsTheOldOne() throws Exception {
        put(engine, "main", "a.txt", "a");
        other.deleteRepository(R);
        other.createRepository(R, "mem://trips-again", "main");
        // engine's hints name the old incarnation: the write is undone and the client told to retry
        assertThatThrownBy(() -> put(engine, "main", "b.txt", "b")).isInstanceOf(TooManyRetriesException.class);
        assertThat(other.diffBranch(R, "main", null, 10).items()).as("nothing left staged").isEmpty();
        put(engine, "main", "b.txt", "b"); // the retry reads afresh
        LocatedObject found = other.locateObject(R, "main", "b.txt");
        assertThat(found.repository().storageNamespace()).isEqualTo("mem://trips-again");
        assertThat(read(other, "main", "b.txt")).isEqualTo("b");
        assertThatThrownBy(() -> engine.locateObject(R, "main", "a.txt")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tagsAndCommitsStillResolve() throws Exception {
        put(engine, "main", "a.txt", "a");
        String id = engine.commit(R, "main", new CommitRequest("one", "me", Map.of(), false)).id();
        engine.createTag(R, "v1", id);
        assertThat(read(engine, "v1", "a.txt")).isEqualTo("a");
        assertThat(read(engine, id, "a.txt")).isEqualTo("a");
        assertThat(read(engine, "main~0", "a.txt")).isEqualTo("a");
        assertThat(calls(() -> engine.locateObject(R, "v1", "a.txt"))).as("read at a tag").isEqualTo(1);
        assertThat(calls(() -> engine.locateObject(R, id, "a.txt"))).as("read at a commit id").isEqualTo(1);
        assertThat(read(engine, id.substring(0, 10), "a.txt")).as("a commit-id prefix").isEqualTo("a");
        assertThat(read(engine, id.toUpperCase(java.util.Locale.ROOT), "a.txt")).isEqualTo("a");
        assertThatThrownBy(() -> engine.locateObject(R, "v1", "nothing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.locateObject(R, "0".repeat(64), "a.txt"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.locateObject("nope", "main", "a.txt")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> engine.locateObject(R, "nobranch", "a.txt")).isInstanceOf(NotFoundException.class);
    }
}
