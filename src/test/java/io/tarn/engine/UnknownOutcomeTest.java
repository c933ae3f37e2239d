package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.error.TooManyRetriesException;
import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvOutcomeUnknownException;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes whose outcome the store cannot tell ({@link KvOutcomeUnknownException}, as when a database
 * connection drops mid-statement): the engine reads again before it decides, so a write that did
 * land is reported as done (and not repeated), one that did not is tried again, and one that never
 * lands is an error, never a success.
 */
class UnknownOutcomeTest {

    @TempDir
    Path tmp;

    static final String R = "repo";

    /** What the next matching write does. */
    enum Fault { NONE, APPLY_THEN_UNKNOWN, UNKNOWN_WITHOUT_APPLYING }

    /** A store whose writes of keys with a given prefix can be made to report an unknown outcome. */
    static final class FlakyKv extends ForwardingKvStore {
        volatile String prefix = "";
        volatile Fault fault = Fault.NONE;
        /** The matching write (1-based) that fails; later ones do not, unless {@link #always}. */
        volatile int nth;
        volatile boolean always;
        final AtomicInteger seen = new AtomicInteger();

        FlakyKv() {
            super(new MemoryKvStore());
        }

        void failNth(String keyPrefix, int n, Fault f) {
            prefix = keyPrefix;
            nth = n;
            fault = f;
            always = false;
            seen.set(0);
        }

        void failAlways(String keyPrefix) {
            failNth(keyPrefix, 1, Fault.UNKNOWN_WITHOUT_APPLYING);
            always = true;
        }

        private Fault faultFor(byte[] key) {
            if (fault == Fault.NONE || !new String(key, StandardCharsets.UTF_8).startsWith(prefix)) {
                return Fault.NONE;
            }
            int n = seen.incrementAndGet();
            return always || n == nth ? fault : Fault.NONE;
        }

        private static KvOutcomeUnknownException unknown() {
            return new KvOutcomeUnknownException("connection lost (injected)", null);
        }

        @Override
        public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
            Fault f = faultFor(key);
            if (f == Fault.UNKNOWN_WITHOUT_APPLYING) {
                throw unknown();
            }
            boolean done = in.compareAndSet(key, expected, update);
            if (f == Fault.APPLY_THEN_UNKNOWN) {
                throw unknown();
            }
            return done;
        }

        @Override
        public void put(byte[] key, byte[] value) {
            Fault f = faultFor(key);
            if (f == Fault.UNKNOWN_WITHOUT_APPLYING) {
                throw unknown();
            }
            in.put(key, value);
            if (f == Fault.APPLY_THEN_UNKNOWN) {
                throw unknown();
            }
        }
    }

    FlakyKv kv;
    TarnEngine engine;

    @BeforeEach
    void setUp() {
        kv = new FlakyKv();
        engine = new TarnEngine(kv, new MemoryBlockStore(), EngineConfig.defaults(tmp.resolve("cache")));
        engine.createRepository(R, "mem://ns", "main");
    }

    @AfterEach
    void tearDown() {
        engine.close();
        kv.close();
    }

    private ObjectEntry put(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return engine.putObject(R, "main", path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    private Commit commit(String message) {
        return engine.commit(R, "main", new CommitRequest(message, "me", Map.of(), false));
    }

    private List<Commit> log() {
        return engine.log(R, "main", false, null, 1000).items();
    }

    @Test
    void aCommitWhoseHeadMoveLandedButWasReportedUnknownIsDoneOnce() {
        put("a", "1");
        // a commit's branch updates: 1 = seal the staging token, 2 = move the head to the new commit
        kv.failNth("branch/", 2, Fault.APPLY_THEN_UNKNOWN);
        Commit c = commit("first");
        assertThat(kv.seen).hasValueGreaterThanOrEqualTo(2);
        List<Commit> log = log();
        assertThat(log).hasSize(2);
        assertThat(log.get(0).id()).isEqualTo(c.id());
        assertThat(engine.getBranch(R, "main").commitId()).isEqualTo(c.id());
        assertThat(engine.diffBranch(R, "main", null, 10).items()).isEmpty();
    }

    @Test
    void aCommitWhoseSealDidNotLandIsTriedAgain() {
        put("a", "1");
        kv.failNth("branch/", 1, Fault.UNKNOWN_WITHOUT_APPLYING);
        Commit c = commit("first");
        assertThat(log()).extracting(Commit::id).first().isEqualTo(c.id());
        assertThat(engine.statObject(R, "main@", "a").size()).isEqualTo(1);
    }

    @Test
    void aSealThatLandedButWasReportedUnknownStillCommitsEverything() {
        put("a", "1");
        kv.failNth("branch/", 1, Fault.APPLY_THEN_UNKNOWN);
        Commit c = commit("first");
        assertThat(log()).hasSize(2);
        assertThat(engine.statObject(R, c.id(), "a").size()).isEqualTo(1);
        assertThat(engine.diffBranch(R, "main", null, 10).items()).isEmpty();
    }

    @Test
    void aStagedWriteThatDidNotLandIsWrittenAgain() {
        kv.failNth("stage/", 1, Fault.UNKNOWN_WITHOUT_APPLYING);
        put("a", "hello");
        assertThat(engine.statObject(R, "main", "a").size()).isEqualTo(5);
        kv.failNth("stage/", 1, Fault.APPLY_THEN_UNKNOWN);
        put("b", "hi");
        assertThat(engine.statObject(R, "main", "b").size()).isEqualTo(2);
        assertThat(commit("both").id()).isEqualTo(log().get(0).id());
        assertThat(engine.statObject(R, "main@", "a").size()).isEqualTo(5);
    }

    @Test
    void aBranchCreatedButReportedUnknownExists() {
        kv.failNth("branch/", 1, Fault.APPLY_THEN_UNKNOWN);
        assertThat(engine.createBranch(R, "dev", "main").name()).isEqualTo("dev");
        assertThat(engine.getBranch(R, "dev").commitId()).isEqualTo(engine.getBranch(R, "main").commitId());
    }

    @Test
    void writesThatNeverLandAreAnErrorNotASuccess() {
        put("a", "1");
        kv.failAlways("branch/");
        // every re-read shows the head unchanged: nothing landed, so the loop tries until it gives up
        assertThatThrownBy(() -> commit("never")).isInstanceOf(TooManyRetriesException.class);
        kv.failNth("", 1, Fault.NONE);
        assertThat(log()).hasSize(1);
        assertThat(commit("now").parents()).containsExactly(log().get(1).id());
    }
}
