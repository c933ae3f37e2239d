package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.LogFilter;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ResetScope;
import io.tarn.error.DirtyBranchException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.MergeConflictException;
import io.tarn.error.NotFoundException;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit dates, log filters by objects and prefixes, squash and empty merges, cherry-pick, hard reset
 * and repository metadata, on every KV backend (the classic and current APIs share them).
 */
class HistoryOperationsTest extends EngineBackendTest {

    static final String R = "history";

    @TempDir
    Path tmp;

    TarnEngine engine;

    @BeforeEach
    void setUp() {
        engine = new TarnEngine(newKv(), new MemoryBlockStore(), EngineConfig.defaults(tmp.resolve("cache")));
        engine.createRepository(R, "mem://history", "main");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    void put(String branch, String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        engine.putObject(R, branch, path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    Commit commit(String branch, String message) {
        return engine.commit(R, branch, new CommitRequest(message, "me", Map.of(), false));
    }

    String read(String ref, String path) throws Exception {
        try (var in = engine.readObject(R, engine.statObject(R, ref, path), null)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    List<String> messages(LogFilter filter, int amount) {
        return engine.log(R, "main", filter, null, amount).items().stream().map(Commit::message).toList();
    }

    @Test
    void commitDateOverridesTheCreationDate() {
        put("main", "a", "1");
        Commit dated = engine.commit(R, "main", new CommitRequest("dated", "me", Map.of(), false, 1_500_000_000L));
        assertThat(dated.creationDate()).isEqualTo(1_500_000_000L);
        assertThat(engine.getCommit(R, dated.id()).creationDate()).isEqualTo(1_500_000_000L);
        put("main", "b", "2");
        Commit now = commit("main", "now");
        assertThat(now.creationDate()).isGreaterThan(1_700_000_000L);
        // generation orders the log, not the date: the back-dated commit still comes after its child
        assertThat(messages(LogFilter.ALL, 10)).startsWith("now", "dated");
        assertThatThrownBy(() -> new CommitRequest("m", "me", Map.of(), false, -1L))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void logKeepsCommitsThatChangedTheObjectsOrPrefixes() {
        put("main", "data/a.csv", "1");
        commit("main", "add a");
        put("main", "other/x", "1");
        commit("main", "add x");
        put("main", "data/a.csv", "2");
        commit("main", "change a");
        put("main", "data/b.csv", "1");
        commit("main", "add b");
        engine.deleteObject(R, "main", "data/a.csv");
        commit("main", "remove a");
        put("main", "data", "a file named like the prefix");
        commit("main", "add data");

        assertThat(messages(new LogFilter(false, List.of("data/a.csv"), List.of()), 100))
                .containsExactly("remove a", "change a", "add a");
        assertThat(messages(new LogFilter(false, List.of(), List.of("data/")), 100))
                .containsExactly("remove a", "add b", "change a", "add a");
        assertThat(messages(new LogFilter(false, List.of(), List.of("data")), 100))
                .containsExactly("add data", "remove a", "add b", "change a", "add a");
        assertThat(messages(new LogFilter(false, List.of("other/x"), List.of("data/b")), 100))
                .containsExactly("add b", "add x");
        assertThat(messages(new LogFilter(false, List.of("never/there"), List.of()), 100)).isEmpty();
        // pages count kept commits; after continues behind the last one shown
        var first = engine.log(R, "main", new LogFilter(false, List.of(), List.of("data/")), null, 2);
        assertThat(first.items()).extracting(Commit::message).containsExactly("remove a", "add b");
        assertThat(first.hasMore()).isTrue();
        var second = engine.log(R, "main", new LogFilter(false, List.of(), List.of("data/")), first.nextOffset(), 2);
        assertThat(second.items()).extracting(Commit::message).containsExactly("change a", "add a");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void logFiltersCompareMergeCommitsWithTheirFirstParent() {
        put("main", "base", "0");
        commit("main", "base");
        engine.createBranch(R, "side", "main");
        put("side", "side/file", "1");
        commit("side", "on side");
        put("main", "main/file", "1");
        commit("main", "on main");
        engine.merge(R, "side", "main", new MergeRequest("merge side", "me", Map.of(), MergeStrategy.NONE));
        assertThat(messages(new LogFilter(false, List.of(), List.of("side/")), 100))
                .containsExactly("merge side", "on side");
        assertThat(messages(new LogFilter(true, List.of(), List.of("side/")), 100))
                .containsExactly("merge side");
        assertThat(messages(new LogFilter(true, List.of("main/file"), List.of()), 100))
                .containsExactly("on main");
    }

    @Test
    void squashMergeHasOnlyTheDestinationAsParent() throws Exception {
        put("main", "base", "0");
        Commit base = commit("main", "base");
        engine.createBranch(R, "feature", "main");
        put("feature", "f1", "1");
        commit("feature", "one");
        put("feature", "f2", "2");
        commit("feature", "two");
        MergeResult squashed = engine.merge(R, "feature", "main",
                new MergeRequest("squashed", "me", Map.of(), MergeStrategy.NONE, true, false));
        assertThat(squashed.commit().parents()).containsExactly(base.id());
        assertThat(read("main", "f1") + read("main", "f2")).isEqualTo("12");
        assertThat(messages(LogFilter.ALL, 10)).containsExactly("squashed", "base", "Repository created");
    }

    @Test
    void mergeThatChangesNothingNeedsAllowEmpty() {
        put("main", "same", "x");
        commit("main", "base");
        engine.createBranch(R, "twin", "main");
        put("twin", "same", "y");
        commit("twin", "change");
        put("twin", "same", "x");
        commit("twin", "change back");
        assertThatThrownBy(() -> engine.merge(R, "twin", "main",
                new MergeRequest(null, "me", Map.of(), MergeStrategy.NONE, false, false)))
                .isInstanceOf(NothingToMergeException.class);
        MergeResult empty = engine.merge(R, "twin", "main",
                new MergeRequest(null, "me", Map.of(), MergeStrategy.NONE, false, true));
        assertThat(empty.commit().parents()).hasSize(2);
    }

    @Test
    void cherryPickAppliesOneCommitsChanges() throws Exception {
        put("main", "a", "0");
        commit("main", "base");
        engine.createBranch(R, "feature", "main");
        put("feature", "b", "1");
        commit("feature", "add b");
        put("feature", "c", "2");
        put("feature", "a", "changed");
        Commit picked = engine.commit(R, "feature", new CommitRequest("add c, change a", "me", Map.of("k", "v"), false));
        Commit head = engine.getCommit(R, "main");

        Commit result = engine.cherryPick(R, "main", picked.id(), 1, new CommitRequest(null, "picker", Map.of(), false));
        assertThat(result.parents()).containsExactly(head.id());
        assertThat(result.message()).isEqualTo("add c, change a");
        assertThat(result.metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(result.committer()).isEqualTo("picker");
        assertThat(read("main", "c")).isEqualTo("2");
        assertThat(read("main", "a")).isEqualTo("changed");
        assertThatThrownBy(() -> engine.statObject(R, "main", "b")).isInstanceOf(NotFoundException.class);

        // picking it again changes nothing
        assertThatThrownBy(() -> engine.cherryPick(R, "main", picked.id(), 1, new CommitRequest(null, "me", Map.of(), false)))
                .isInstanceOf(NothingToCommitException.class);
        Commit overridden = engine.cherryPick(R, "main", engine.getCommit(R, "feature~1").id(), 1,
                new CommitRequest("my message", "me", Map.of("mine", "yes"), false));
        assertThat(overridden.message()).isEqualTo("my message");
        assertThat(overridden.metadata()).isEqualTo(Map.of("mine", "yes"));
        assertThat(read("main", "b")).isEqualTo("1");
    }

    @Test
    void cherryPickConflictsDirtyBranchesAndParentNumbers() {
        put("main", "a", "0");
        Commit base = commit("main", "base");
        engine.createBranch(R, "feature", "main");
        put("feature", "a", "feature");
        Commit picked = commit("feature", "feature a");
        put("main", "a", "main");
        Commit mainHead = commit("main", "main a");
        assertThatThrownBy(() -> engine.cherryPick(R, "main", picked.id(), 1, null))
                .isInstanceOf(MergeConflictException.class);
        assertThat(engine.getCommit(R, "main").id()).isEqualTo(mainHead.id());

        put("main", "dirty", "d");
        engine.createBranch(R, "clean", base.id());
        assertThatThrownBy(() -> engine.cherryPick(R, "main", picked.id(), 1, null))
                .isInstanceOf(DirtyBranchException.class);
        assertThatThrownBy(() -> engine.cherryPick(R, "clean", picked.id(), 2, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> engine.cherryPick(R, "clean", engine.getCommit(R, base.id() + "~1").id(), 1, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("no parent");
        assertThatThrownBy(() -> engine.cherryPick(R, "no-such", picked.id(), 1, null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void cherryPickOfAMergeCommitAgainstEitherParent() throws Exception {
        put("main", "base", "0");
        Commit base = commit("main", "base");
        engine.createBranch(R, "side", "main");
        engine.createBranch(R, "target", "main");
        engine.createBranch(R, "target2", "main");
        put("side", "from-side", "s");
        commit("side", "side");
        put("main", "from-main", "m");
        commit("main", "main");
        Commit merge = engine.merge(R, "side", "main", new MergeRequest(null, "me", Map.of(), MergeStrategy.NONE)).commit();
        // against parent 1 (main before the merge): the merge brought in side's file
        assertThat(engine.cherryPick(R, "target", merge.id(), 1, null).parents()).containsExactly(base.id());
        assertThat(read("target", "from-side")).isEqualTo("s");
        assertThatThrownBy(() -> engine.statObject(R, "target", "from-main")).isInstanceOf(NotFoundException.class);
        // against parent 2 (side): the merge brought in main's file
        engine.cherryPick(R, "target2", merge.id(), 2, null);
        assertThat(read("target2", "from-main")).isEqualTo("m");
        assertThatThrownBy(() -> engine.statObject(R, "target2", "from-side")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void hardResetMovesTheBranchToAnyCommit() throws Exception {
        put("main", "a", "1");
        Commit one = commit("main", "one");
        put("main", "a", "2");
        commit("main", "two");
        engine.createBranch(R, "other", "main");
        put("other", "o", "x");
        Commit elsewhere = commit("other", "elsewhere");

        assertThat(engine.hardReset(R, "main", one.id()).id()).isEqualTo(one.id());
        assertThat(engine.getBranch(R, "main").commitId()).isEqualTo(one.id());
        assertThat(read("main", "a")).isEqualTo("1");
        engine.hardReset(R, "main", "other");
        assertThat(engine.getBranch(R, "main").commitId()).isEqualTo(elsewhere.id());

        put("main", "staged", "s");
        assertThatThrownBy(() -> engine.hardReset(R, "main", one.id())).isInstanceOf(DirtyBranchException.class);
        engine.reset(R, "main", new ResetScope.All());
        engine.hardReset(R, "main", one.id());
        assertThatThrownBy(() -> engine.hardReset(R, "main", "no-such-ref")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.hardReset(R, "nope", one.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void repositoryMetadataIsSetDeletedAndGoesWithTheRepository() {
        assertThat(engine.getRepositoryMetadata(R)).isEmpty();
        assertThat(engine.setRepositoryMetadata(R, Map.of("owner", "data-team", "tier", "gold")))
                .isEqualTo(Map.of("owner", "data-team", "tier", "gold"));
        engine.setRepositoryMetadata(R, Map.of("tier", "silver"));
        assertThat(engine.getRepositoryMetadata(R)).isEqualTo(Map.of("owner", "data-team", "tier", "silver"));
        assertThat(engine.deleteRepositoryMetadata(R, List.of("tier", "never-set"))).isEqualTo(Map.of("owner", "data-team"));
        assertThatThrownBy(() -> engine.setRepositoryMetadata(R, Map.of("", "x")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.setRepositoryMetadata(R, Map.of("big", "x".repeat(70_000))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.getRepositoryMetadata("no-such-repo"))
                .isInstanceOf(NotFoundException.class);

        engine.deleteRepository(R);
        engine.createRepository(R, "mem://history-again", "main");
        assertThat(engine.getRepositoryMetadata(R)).isEmpty();
    }
}
