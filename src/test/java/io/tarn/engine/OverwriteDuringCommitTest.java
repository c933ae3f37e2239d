package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload that overwrites a path while another server commits the branch, its write landing in the
 * staging token the commit has just sealed (the writer's last known token). The earlier, acknowledged
 * value of that path must reach the commit (or the overwrite must, in its place): it must never be taken
 * out of the sealed token before the commit reads it. And a write that lands in a token after its
 * commit finished leaves nothing behind in it.
 */
class OverwriteDuringCommitTest extends EngineBackendTest {

    private static final String R = "overwrites";

    @TempDir
    Path tmp;

    private KvStore kv;
    private TarnEngine writer;
    private TarnEngine committer;
    /** Run once by the committer's store right after the commit's seal (its compare-and-set of main). */
    private volatile Runnable afterSeal;
    /** Run once by the writer's store right before it writes {@link #stagedKey}. */
    private volatile Runnable beforeStagedWrite;
    private volatile byte[] stagedKey;

    @BeforeEach
    void setUp() {
        kv = newKv();
        MemoryBlockStore blocks = new MemoryBlockStore();
        byte[] branchKey = KeyLayout.branch(R, "main");
        KvStore committerKv = new ForwardingKvStore(kv) {
            @Override
            public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
                boolean done = in.compareAndSet(key, expected, update);
                Runnable hook = afterSeal;
                if (done && hook != null && Arrays.equals(key, branchKey) && update != null
                        && !BranchRecord.decode(update).sealedTokens().isEmpty()) {
                    afterSeal = null;
                    hook.run();
                }
                return done;
            }
        };
        KvStore writerKv = new ForwardingKvStore(kv) {
            @Override
            public void put(byte[] key, byte[] value) {
                Runnable hook = beforeStagedWrite;
                if (hook != null && Arrays.equals(key, stagedKey)) {
                    beforeStagedWrite = null;
                    hook.run();
                }
                in.put(key, value);
            }
        };
        committer = new TarnEngine(committerKv, blocks, EngineConfig.defaults(tmp.resolve("cache-c")));
        committer.createRepository(R, "mem://overwrites", "main");
        writer = new TarnEngine(writerKv, blocks, EngineConfig.defaults(tmp.resolve("cache-w")));
    }

    @AfterEach
    void tearDown() {
        writer.close();
        committer.close();
    }

    private ObjectEntry put(TarnEngine engine, String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return engine.putObject(R, "main", path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    private Commit commit(String message) {
        return committer.commit(R, "main", new CommitRequest(message, "me", Map.of(), false));
    }

    private String stagingToken() {
        return BranchRecord.decode(kv.get(KeyLayout.branch(R, "main")).orElseThrow()).stagingToken();
    }

    private int rowsOf(String token) {
        int n = 0;
        try (KvIterator it = kv.scan(KeyLayout.staged(token), null)) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void anAcknowledgedValueReachesTheCommitThatSealedItsToken() {
        ObjectEntry first = put(writer, "a.txt", "first");
        put(writer, "b.txt", "other");
        String sealedToken = stagingToken();
        boolean[] overwrote = {false};
        afterSeal = () -> {
            // the writer still assumes the token the commit has just sealed: its overwrite lands there
            put(writer, "a.txt", "second, racing the commit");
            overwrote[0] = true;
        };

        Commit c = commit("sealed while a.txt was overwritten");

        assertThat(overwrote[0]).as("the overwrite ran between the seal and the commit's scan").isTrue();
        ObjectEntry committed = committer.statObject(R, c.id(), "a.txt");
        ObjectEntry onBranch = writer.statObject(R, "main", "a.txt");
        assertThat(onBranch.checksum()).as("the branch shows the overwrite").isNotEqualTo(first.checksum());
        // the commit read the sealed token after the overwrite landed there: the overwrite took the
        // acknowledged value's place (before the fix, the path was missing from the commit)
        assertThat(committed.checksum()).as("a.txt, acknowledged before the commit began, is in it")
                .isEqualTo(onBranch.checksum());
        assertThat(committer.statObject(R, c.id(), "b.txt")).isNotNull();
        assertThat(rowsOf(sealedToken)).as("the finished commit dropped its token").isZero();
        assertThat(rowsOf(stagingToken())).as("the overwrite is staged in the current token too").isEqualTo(1);
    }

    @Test
    void aWriteLandingInATokenAfterItsCommitFinishedLeavesNothingThere() {
        put(writer, "a.txt", "first");
        String sealedToken = stagingToken();
        stagedKey = KeyLayout.staged(sealedToken, "a.txt".getBytes(StandardCharsets.UTF_8));
        boolean[] committed = {false};
        beforeStagedWrite = () -> {
            commit("finished before the write lands");
            committed[0] = true;
        };

        put(writer, "a.txt", "second, after the commit");

        assertThat(committed[0]).as("the commit finished before the write into its token").isTrue();
        assertThat(rowsOf(sealedToken)).as("nothing left in the committed token").isZero();
        assertThat(writer.diffBranch(R, "main", null, 10).items()).extracting(ch -> ch.path())
                .containsExactly("a.txt");
        assertThat(rowsOf(stagingToken())).isEqualTo(1);
    }
}
