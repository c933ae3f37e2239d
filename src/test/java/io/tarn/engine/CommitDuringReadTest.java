package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit through another engine finishes right after a read of a branch has read the branch record
 * and before it reads the staged entries of the token that record names (sealed, committed and dropped
 * by then): listings and the existence check of a delete still see every entry, either as staged or as
 * committed.
 */
class CommitDuringReadTest extends EngineBackendTest {

    private static final String R = "racing";

    @TempDir
    Path tmp;

    private TarnEngine other;
    private TarnEngine reader;
    /** Set to commit {@code main} through {@link #other} right after the next read of main's record. */
    private volatile boolean armed;
    private volatile boolean fired;

    @BeforeEach
    void setUp() {
        KvStore kv = newKv();
        MemoryBlockStore blocks = new MemoryBlockStore();
        other = new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache-o")));
        other.createRepository(R, "mem://racing", "main");
        byte[] branchKey = KeyLayout.branch(R, "main");
        KvStore hooked = new ForwardingKvStore(kv) {
            @Override
            public Optional<byte[]> get(byte[] key) {
                Optional<byte[]> v = in.get(key);
                if (armed && Arrays.equals(key, branchKey)) {
                    armed = false;
                    other.commit(R, "main", new CommitRequest("in between", "me", Map.of(), false));
                    fired = true;
                }
                return v;
            }
        };
        reader = new TarnEngine(hooked, blocks, EngineConfig.defaults(tmp.resolve("cache-r")));
    }

    @AfterEach
    void tearDown() {
        reader.close();
        other.close();
    }

    private void put(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        other.putObject(R, "main", path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    private void armCommit() {
        armed = true;
        fired = false;
    }

    @Test
    void aListingSeesTheEntriesOfACommitThatFinishedDuringIt() {
        put("a/1.txt");
        put("a/2.txt");
        put("b.txt");
        armCommit();
        List<String> paths = reader.listObjects(R, "main", "", "", null, 100).items().stream()
                .map(ListItem::path).toList();
        assertThat(fired).as("the commit ran in between").isTrue();
        assertThat(paths).containsExactly("a/1.txt", "a/2.txt", "b.txt");

        put("c.txt");
        armCommit();
        List<String> top = reader.listObjects(R, "main", "", "/", null, 100).items().stream()
                .map(ListItem::path).toList();
        assertThat(fired).isTrue();
        assertThat(top).containsExactly("a/", "b.txt", "c.txt");
    }

    @Test
    void aDeleteFindsAnEntryCommittedDuringItsCheck() {
        put("a.txt");
        armCommit();
        reader.deleteObject(R, "main", "a.txt");
        assertThat(fired).as("the commit ran in between").isTrue();
        assertThat(other.diffBranch(R, "main", null, 10).items()).as("the delete is staged").hasSize(1);
        assertThat(other.listObjects(R, "main", "", "", null, 10).items()).isEmpty();
    }
}
