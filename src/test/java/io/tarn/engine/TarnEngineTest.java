package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.ByteRange;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.AmbiguousRefException;
import io.tarn.error.DefaultBranchException;
import io.tarn.error.DirtyBranchException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.MergeConflictException;
import io.tarn.error.NotFoundException;
import io.tarn.error.NothingToCommitException;
import io.tarn.error.NothingToMergeException;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.tree.TreeIndex;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarnEngineTest extends EngineBackendTest {

    @TempDir
    Path tmp;

    KvStore kv;
    MemoryBlockStore blocks;
    TarnEngine engine;
    static final String R = "repo1";

    @BeforeEach
    void setUp() {
        kv = newKv();
        blocks = new MemoryBlockStore();
        engine = new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache")));
        engine.createRepository(R, "mem://ns1", "main");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    ObjectEntry put(String branch, String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return engine.putObject(R, branch, path, new ByteArrayInputStream(b), b.length, "text/plain", Map.of());
    }

    Commit commit(String branch, String msg) {
        return engine.commit(R, branch, new CommitRequest(msg, "me", Map.of(), false));
    }

    static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void repositoryLifecycle() {
        assertThat(engine.getRepository(R).defaultBranch()).isEqualTo("main");
        Commit initial = engine.getCommit(R, "main");
        assertThat(initial.message()).isEqualTo("Repository created");
        assertThat(initial.parents()).isEmpty();
        assertThat(initial.generation()).isEqualTo(1);
        assertThat(initial.treeId()).isEqualTo(TreeIndex.EMPTY_ID);
        assertThatThrownBy(() -> engine.createRepository(R, "mem://other", "main")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> engine.createRepository("repo2", "mem://ns1", "main"))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("in use by repository repo1");
        assertThatThrownBy(() -> engine.createRepository("Bad_Name", "mem://x", "main")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.createRepository("ok-name", "mem://x", "bad name")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.createRepository("ok-name", "s3://bucket/x", "main"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("storage namespace");
        assertThatThrownBy(() -> engine.createRepository("ok-name", "", "main")).isInstanceOf(InvalidArgumentException.class);
        for (String id : List.of("repo3", "repo0", "repo5")) {
            engine.createRepository(id, "mem://" + id, "trunk");
        }
        Page<io.tarn.engine.model.Repository> p1 = engine.listRepositories(null, 2);
        assertThat(p1.items()).extracting(io.tarn.engine.model.Repository::id).containsExactly("repo0", "repo1");
        assertThat(p1.hasMore()).isTrue();
        Page<io.tarn.engine.model.Repository> p2 = engine.listRepositories(p1.nextOffset(), 2);
        assertThat(p2.items()).extracting(io.tarn.engine.model.Repository::id).containsExactly("repo3", "repo5");
        assertThat(p2.hasMore()).isFalse();
        assertThat(p2.nextOffset()).isNull();
        put("main", "a", "x");
        engine.deleteRepository(R);
        assertThatThrownBy(() -> engine.getRepository(R)).isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).kind()).isEqualTo(NotFoundException.Kind.REPOSITORY));
        assertThatThrownBy(() -> engine.statObject(R, "main", "a")).isInstanceOf(NotFoundException.class);
        try (KvIterator branches = kv.scan(KeyLayout.branches(R), null)) {
            assertThat(branches.hasNext()).isFalse();
        }
        // the same id may come back on its own namespace
        engine.createRepository(R, "mem://ns1", "main");
        assertThatThrownBy(() -> engine.statObject(R, "main", "a")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.listRepositories(null, 0)).isInstanceOf(InvalidArgumentException.class);
        assertThat(engine.listRepositories(null, Integer.MAX_VALUE).items()).hasSize(4);
    }

    @Test
    void aNamespaceInsideOrAroundAnotherRepositorysIsRefused() {
        assertThatThrownBy(() -> engine.createRepository("inner", "mem://ns1/data", "main"))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("is inside storage namespace mem://ns1 of repository repo1");
        engine.createRepository("deep", "mem://outer/a/b", "main");
        assertThatThrownBy(() -> engine.createRepository("around", "mem://outer", "main"))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("contains storage namespace mem://outer/a/b");
        assertThatThrownBy(() -> engine.createRepository("around", "mem://outer/a/", "main"))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("of repository deep");
        assertThatThrownBy(() -> engine.createRepository("same", "mem://outer/a/b/", "main"))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("in use by repository deep");
        // whole segments only: a sibling whose name starts the same is apart
        engine.createRepository("sibling", "mem://ns1-data", "main");
        engine.createRepository("sibling2", "mem://outer/ab", "main");
        assertThat(engine.listRepositories(null, 100).items()).extracting(io.tarn.engine.model.Repository::id)
                .containsExactly("deep", "repo1", "sibling", "sibling2");
        // a deleted repository's namespace no longer guards its surroundings
        engine.deleteRepository("deep");
        engine.createRepository("around", "mem://outer/a", "main");
    }

    @Test
    void aliasesOfOneLocalFolderThroughALinkInsideTheRootOverlap() throws IOException {
        Path root = java.nio.file.Files.createDirectories(tmp.resolve("blocks"));
        try (TarnEngine local = new TarnEngine(kv, new io.tarn.block.local.LocalBlockStore(root),
                EngineConfig.defaults(tmp.resolve("cache-local")))) {
            local.createRepository("real-a", "local://a", "main");
            java.nio.file.Files.createSymbolicLink(root.resolve("link-to-a"), root.resolve("a"));
            assertThatThrownBy(() -> local.createRepository("alias-inner", "local://link-to-a/inner", "main"))
                    .isInstanceOf(AlreadyExistsException.class)
                    .hasMessageContaining("is inside storage namespace local://a of repository real-a");
            assertThatThrownBy(() -> local.createRepository("alias-same", "local://link-to-a", "main"))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("real-a");
            // and the other way round: a repository reached through a link, then one around its real folder
            java.nio.file.Files.createDirectories(root.resolve("b/deep"));
            java.nio.file.Files.createSymbolicLink(root.resolve("link-to-b-deep"), root.resolve("b/deep"));
            local.createRepository("via-link", "local://link-to-b-deep/repo", "main");
            assertThatThrownBy(() -> local.createRepository("around", "local://b", "main"))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("via-link");
            // data inside a repository's folder, named through the link, is no outside data to import
            assertThatThrownBy(() -> local.stageExternalObject("via-link", "main", "x",
                    "local://b/deep/repo/data/x", "c", 1, null, Map.of()))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("storage namespace of repository");
            // a sibling folder is still apart
            local.createRepository("sibling", "local://link-to-b-deep/other", "main");
            assertThat(local.listRepositories(null, 100).items()).extracting(io.tarn.engine.model.Repository::id)
                    .containsExactly("real-a", "repo1", "sibling", "via-link");
        }
    }

    /** Runs {@code meanwhile} once, just before the compare-and-set that writes repository {@code id}'s record. */
    static final class InterleavingKv extends io.tarn.kv.ForwardingKvStore {
        private final byte[] trigger;
        private Runnable meanwhile;

        InterleavingKv(io.tarn.kv.KvStore in, String id, Runnable meanwhile) {
            super(in);
            this.trigger = KeyLayout.repository(id);
            this.meanwhile = meanwhile;
        }

        @Override
        public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
            if (meanwhile != null && java.util.Arrays.equals(key, trigger) && update != null) {
                Runnable r = meanwhile;
                meanwhile = null;
                r.run();
            }
            return in.compareAndSet(key, expected, update);
        }

        @Override
        public void close() {
            // the shared store is closed by the test
        }
    }

    @Test
    void twoServersCreatingOverlappingNamespacesAtOnceNeverBothSucceed() {
        // "server B" creates mem://race/inner after "server A" checked mem://race but before A's record exists
        try (TarnEngine b = new TarnEngine(kv, blocks, EngineConfig.defaults(tmp.resolve("cache-b")));
             TarnEngine a = new TarnEngine(new InterleavingKv(kv, "outer-a",
                     () -> b.createRepository("inner-b", "mem://race/inner", "main")),
                     blocks, EngineConfig.defaults(tmp.resolve("cache-a")))) {
            assertThatThrownBy(() -> a.createRepository("outer-a", "mem://race", "main"))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("inner-b");
            assertThat(b.listRepositories(null, 100).items()).extracting(io.tarn.engine.model.Repository::id)
                    .containsExactly("inner-b", "repo1");
            assertThatThrownBy(() -> b.getRepository("outer-a")).isInstanceOf(NotFoundException.class);
            assertThat(kv.scan(KeyLayout.branches("outer-a"), null).hasNext()).as("nothing of outer-a is left").isFalse();
        }
    }

    @Test
    void namespaceOverlapComparesSchemeBucketAndWholeSegments() {
        var a = io.tarn.block.StorageNamespaces.parse("s3://bucket/repos/a", "s3");
        assertThat(Repositories.overlap(a, io.tarn.block.StorageNamespaces.parse("s3://bucket", "s3"))).isEqualTo("is inside");
        assertThat(Repositories.overlap(a, io.tarn.block.StorageNamespaces.parse("s3://bucket/repos", "s3"))).isEqualTo("is inside");
        assertThat(Repositories.overlap(a, io.tarn.block.StorageNamespaces.parse("s3://bucket/repos/a/x", "s3"))).isEqualTo("contains");
        assertThat(Repositories.overlap(a, io.tarn.block.StorageNamespaces.parse("s3://bucket/repos/ab", "s3"))).isNull();
        assertThat(Repositories.overlap(a, io.tarn.block.StorageNamespaces.parse("s3://other/repos/a", "s3"))).isNull();
        var local = io.tarn.block.StorageNamespaces.parse("local://repo1/data", "local");
        assertThat(Repositories.overlap(local, io.tarn.block.StorageNamespaces.parse("local://repo1", "local"))).isEqualTo("is inside");
        assertThat(Repositories.overlap(local, io.tarn.block.StorageNamespaces.parse("local://repo1/data/", "local"))).isEqualTo("is");
    }

    @Test
    void objectsRoundTripWithRangesAndFailedUploadsStageNothing() throws IOException {
        ObjectEntry e = put("main", "dir/file.txt", "hello world");
        assertThat(e.checksum()).isEqualTo("5eb63bbbe01eeed093cb22bb8f5acdc3");
        assertThat(e.size()).isEqualTo(11);
        assertThat(e.physicalAddress()).startsWith("data/");
        assertThat(read(engine.readObject(R, engine.statObject(R, "main", "dir/file.txt"), null))).isEqualTo("hello world");
        assertThat(read(engine.readObject(R, e, new ByteRange(6, 10)))).isEqualTo("world");
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 3) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> engine.putObject(R, "main", "broken", failing, 100, null, Map.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("upload of broken is incomplete")
                .hasMessageNotContaining("data/");
        assertThatThrownBy(() -> engine.statObject(R, "main", "broken")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> put("nope", "a", "b")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> put("main", "", "b")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> put("main", "a\0b", "b")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> put("main", "x".repeat(1025), "b")).isInstanceOf(InvalidArgumentException.class);
        // rewriting identical content is no change
        commit("main", "one");
        put("main", "dir/file.txt", "hello world");
        assertThat(engine.diffBranch(R, "main", null, 10).items()).isEmpty();
        assertThatThrownBy(() -> commit("main", "nothing")).isInstanceOf(NothingToCommitException.class);
        // and the branch is clean afterwards
        assertThat(engine.diffBranch(R, "main", null, 10).items()).isEmpty();
    }

    @Test
    void deleteObjectCases() {
        put("main", "committed", "1");
        commit("main", "c");
        put("main", "staged", "2");
        engine.deleteObject(R, "main", "staged");
        assertThatThrownBy(() -> engine.statObject(R, "main", "staged")).isInstanceOf(NotFoundException.class);
        assertThat(engine.diffBranch(R, "main", null, 10).items()).isEmpty();
        engine.deleteObject(R, "main", "committed");
        assertThat(engine.diffBranch(R, "main", null, 10).items())
                .containsExactly(new Change(ChangeType.REMOVED, "committed", engine.statObject(R, "main@", "committed")));
        assertThatThrownBy(() -> engine.deleteObject(R, "main", "committed")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.deleteObject(R, "main", "never")).isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).kind()).isEqualTo(NotFoundException.Kind.OBJECT));
        commit("main", "delete");
        assertThatThrownBy(() -> engine.statObject(R, "main", "committed")).isInstanceOf(NotFoundException.class);
        assertThat(engine.statObject(R, "main~1", "committed").size()).isEqualTo(1);
    }

    @Test
    void listingWithPrefixesDelimitersAndPaging() {
        for (String p : List.of("a/1", "a/2", "a/b/3", "a--x--1", "a--x--2", "a--y", "b", "c/d/e", "c/f")) {
            put("main", p, p);
        }
        commit("main", "files");
        put("main", "c/g", "staged");
        engine.deleteObject(R, "main", "c/f");
        assertThat(paths(engine.listObjects(R, "main", "", "/", null, 100)))
                .containsExactly("a--x--1", "a--x--2", "a--y", "a/", "b", "c/");
        assertThat(paths(engine.listObjects(R, "main", "a", "--", null, 100)))
                .containsExactly("a--", "a/1", "a/2", "a/b/3");
        assertThat(paths(engine.listObjects(R, "main", "a--", "--", null, 100))).containsExactly("a--x--", "a--y");
        assertThat(paths(engine.listObjects(R, "main", "c/", "/", null, 100))).containsExactly("c/d/", "c/g");
        assertThat(paths(engine.listObjects(R, "main@", "c/", "/", null, 100))).containsExactly("c/d/", "c/f");
        assertThat(paths(engine.listObjects(R, "main", "", "", null, 100)))
                .containsExactly("a--x--1", "a--x--2", "a--y", "a/1", "a/2", "a/b/3", "b", "c/d/e", "c/g");
        // paging continues after a common prefix without repeating it
        Page<ListItem> p1 = engine.listObjects(R, "main", "", "/", null, 4);
        assertThat(paths(p1)).containsExactly("a--x--1", "a--x--2", "a--y", "a/");
        assertThat(p1.hasMore()).isTrue();
        assertThat(p1.nextOffset()).isEqualTo("a/");
        assertThat(paths(engine.listObjects(R, "main", "", "/", p1.nextOffset(), 4))).containsExactly("b", "c/");
        assertThat(engine.listObjects(R, "main", "", "/", null, 100).items().get(3)).isInstanceOf(CommonPrefix.class);
        // an `after` inside a prefix continues past the prefix
        assertThat(paths(engine.listObjects(R, "main", "", "/", "a/1", 100))).containsExactly("b", "c/");
        assertThat(paths(engine.listObjects(R, "main", "a/", "/", "a/1", 100))).containsExactly("a/2", "a/b/");
        assertThat(engine.listObjects(R, "main", "zzz", "/", null, 10).items()).isEmpty();
    }

    static List<String> paths(Page<ListItem> page) {
        return page.items().stream().map(ListItem::path).toList();
    }

    @Test
    void refGrammar() {
        Commit c1 = engine.getCommit(R, "main");
        put("main", "f", "1");
        Commit c2 = commit("main", "two");
        put("main", "f", "2");
        Commit c3 = commit("main", "three");
        assertThat(engine.getCommit(R, "main~1")).isEqualTo(c2);
        assertThat(engine.getCommit(R, "main~")).isEqualTo(c2);
        assertThat(engine.getCommit(R, "main~2")).isEqualTo(c1);
        assertThat(engine.getCommit(R, "main^")).isEqualTo(c2);
        assertThat(engine.getCommit(R, "main^1^1")).isEqualTo(c1);
        assertThat(engine.getCommit(R, "main~1^0")).isEqualTo(c2);
        assertThat(engine.getCommit(R, "main@~1")).isEqualTo(c2);
        assertThat(engine.getCommit(R, c3.id())).isEqualTo(c3);
        assertThat(engine.getCommit(R, c3.id().substring(0, 6))).isEqualTo(c3);
        assertThat(engine.getCommit(R, c3.id().substring(0, 12).toUpperCase())).isEqualTo(c3);
        assertThat(engine.getCommit(R, c3.id() + "~1")).isEqualTo(c2);
        engine.createTag(R, "v1", "main~1");
        assertThat(engine.getCommit(R, "v1")).isEqualTo(c2);
        assertThat(engine.getCommit(R, "v1~1")).isEqualTo(c1);
        assertThatThrownBy(() -> engine.getCommit(R, "main~3")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.getCommit(R, "main^2")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.getCommit(R, "nosuch")).isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).kind()).isEqualTo(NotFoundException.Kind.REF));
        assertThatThrownBy(() -> engine.getCommit(R, "main~x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.getCommit(R, "~1")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.getCommit(R, c3.id().substring(0, 5))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.getCommit("nope-repo", "main")).isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).kind()).isEqualTo(NotFoundException.Kind.REPOSITORY));
        // two commits sharing a 6-digit prefix make that prefix ambiguous
        Commit fake = CommitCodec.create(List.of(), "", "x", 1, Map.of(), TreeIndex.EMPTY_ID, 1);
        String shared = "abcdef";
        kv.put(KeyLayout.commit(R, shared + "0".repeat(58)), CommitCodec.encode(fake));
        kv.put(KeyLayout.commit(R, shared + "1".repeat(58)), CommitCodec.encode(fake));
        assertThatThrownBy(() -> engine.getCommit(R, shared)).isInstanceOf(AmbiguousRefException.class);
        assertThat(engine.getCommit(R, shared + "1").id()).isEqualTo(shared + "1".repeat(58));
        // a bare branch reads staged data, branch@ and commit ids read committed data
        put("main", "f", "3");
        assertThat(engine.statObject(R, "main", "f").size()).isEqualTo(1);
        assertThat(engine.statObject(R, "main", "f").checksum()).isNotEqualTo(engine.statObject(R, "main@", "f").checksum());
        assertThat(engine.statObject(R, "main@", "f").checksum()).isEqualTo(engine.statObject(R, c3.id(), "f").checksum());
    }

    @Test
    void branchColonHeadIsTheCommittedStateOfTheBranch() {
        put("main", "f", "1");
        Commit c2 = commit("main", "two");
        put("main", "f", "22");
        Commit c3 = commit("main", "three");
        put("main", "f", "333");
        put("main", "only-staged", "x");
        assertThat(engine.getCommit(R, "main:HEAD")).isEqualTo(c3);
        assertThat(engine.getCommit(R, "main:HEAD~1")).isEqualTo(c2);
        assertThat(engine.getCommit(R, "main:HEAD^1")).isEqualTo(c2);
        assertThat(engine.statObject(R, "main:HEAD", "f").size()).isEqualTo(2);
        assertThat(engine.statObject(R, "main", "f").size()).isEqualTo(3);
        assertThatThrownBy(() -> engine.statObject(R, "main:HEAD", "only-staged")).isInstanceOf(NotFoundException.class);
        assertThat(paths(engine.listObjects(R, "main:HEAD", "", "/", null, 100))).containsExactly("f");
        assertThat(engine.createBranch(R, "from-head", "main:HEAD~1").commitId()).isEqualTo(c2.id());
        engine.createTag(R, "t1", "main:HEAD");
        assertThat(engine.getCommit(R, "t1:HEAD")).isEqualTo(c3);
        assertThat(engine.log(R, "main:HEAD", false, null, 10).items().getFirst()).isEqualTo(c3);
        for (String bad : List.of("main:head", "main:HEADS", "main:", "main:HEAD@", "main@:HEAD", ":HEAD", "main:HEAD:HEAD")) {
            assertThatThrownBy(() -> engine.getCommit(R, bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThatThrownBy(() -> engine.getCommit(R, "nosuch:HEAD")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void diffRefsAndMergeSeeABranchAsItsLastCommit() {
        put("main", "base", "b");
        commit("main", "base");
        engine.createBranch(R, "feature", "main");
        put("feature", "committed", "c");
        commit("feature", "work");
        put("feature", "staged", "s");
        put("main", "staged-on-main", "m");
        for (DiffType type : DiffType.values()) {
            assertThat(engine.diffRefs(R, "feature", "main", type, null, 10).items()).as(type.name())
                    .extracting(Change::type, Change::path)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeType.ADDED, "committed"));
            assertThat(engine.diffRefs(R, "feature", "feature@", type, null, 10).items()).isEmpty();
        }
        // the uncommitted changes are diffBranch's, and listing and reading the branch include them
        assertThat(engine.diffBranch(R, "feature", null, 10).items()).extracting(Change::path).containsExactly("staged");
        assertThat(paths(engine.listObjects(R, "feature", "", "", null, 10))).containsExactly("base", "committed", "staged");
        // merging a branch merges its last commit; the source's uncommitted changes stay where they are
        engine.reset(R, "main", new ResetScope.All());
        MergeResult m = engine.merge(R, "feature", "main", null);
        assertThat(m.changes()).extracting(Change::path).containsExactly("committed");
        assertThatThrownBy(() -> engine.statObject(R, "main", "staged")).isInstanceOf(NotFoundException.class);
        assertThat(engine.diffBranch(R, "feature", null, 10).items()).extracting(Change::path).containsExactly("staged");
        // a source whose only news is uncommitted has nothing to merge
        put("feature", "more-staged", "s");
        assertThatThrownBy(() -> engine.merge(R, "feature", "main", null)).isInstanceOf(NothingToMergeException.class);
    }

    @Test
    void branchesAndTags() {
        put("main", "f", "1");
        Commit c = commit("main", "one");
        assertThat(engine.createBranch(R, "dev", "main").commitId()).isEqualTo(c.id());
        assertThat(engine.getBranch(R, "dev").commitId()).isEqualTo(c.id());
        assertThatThrownBy(() -> engine.createBranch(R, "dev", "main")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> engine.createBranch(R, "bad/name", "main")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.createBranch(R, "x", "nosuch")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.deleteBranch(R, "main")).isInstanceOf(DefaultBranchException.class);
        assertThatThrownBy(() -> engine.getBranch(R, "nosuch")).isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).kind()).isEqualTo(NotFoundException.Kind.BRANCH));
        engine.createBranch(R, "a1", "main");
        Page<io.tarn.engine.model.Branch> p = engine.listBranches(R, null, 2);
        assertThat(p.items()).extracting(io.tarn.engine.model.Branch::name).containsExactly("a1", "dev");
        assertThat(engine.listBranches(R, p.nextOffset(), 2).items()).extracting(io.tarn.engine.model.Branch::name)
                .containsExactly("main");
        put("dev", "staged-on-dev", "x");
        engine.deleteBranch(R, "dev");
        assertThatThrownBy(() -> engine.getBranch(R, "dev")).isInstanceOf(NotFoundException.class);
        engine.createBranch(R, "dev", "main");
        assertThatThrownBy(() -> engine.statObject(R, "dev", "staged-on-dev")).isInstanceOf(NotFoundException.class);

        engine.createTag(R, "v1", "main");
        assertThat(engine.getTag(R, "v1").commitId()).isEqualTo(c.id());
        assertThatThrownBy(() -> engine.createTag(R, "v1", "main")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> engine.createTag(R, "dev", "main")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> engine.createBranch(R, "v1", "main")).isInstanceOf(AlreadyExistsException.class);
        engine.createTag(R, "v0", "main~1");
        assertThat(engine.listTags(R, null, 10).items()).extracting(io.tarn.engine.model.Tag::name).containsExactly("v0", "v1");
        engine.deleteTag(R, "v1");
        assertThatThrownBy(() -> engine.getTag(R, "v1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.deleteTag(R, "v1")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void commitsLogAndEmptyCommits() {
        assertThatThrownBy(() -> commit("main", "empty")).isInstanceOf(NothingToCommitException.class);
        Commit empty = engine.commit(R, "main", new CommitRequest("allowed", "me", Map.of("a", "b"), true));
        assertThat(empty.metadata()).containsEntry("a", "b");
        assertThat(empty.treeId()).isEqualTo(TreeIndex.EMPTY_ID);
        put("main", "x", "1");
        Commit c = commit("main", "x");
        assertThat(engine.log(R, "main", false, null, 10).items()).extracting(Commit::message)
                .containsExactly("x", "allowed", "Repository created");
        Page<Commit> first = engine.log(R, "main", true, null, 1);
        assertThat(first.items()).containsExactly(c);
        assertThat(engine.log(R, "main", true, first.nextOffset(), 5).items()).extracting(Commit::message)
                .containsExactly("allowed", "Repository created");
    }

    @Test
    void resetScopes() {
        put("main", "keep/a", "1");
        commit("main", "base");
        put("main", "dir/a", "1");
        put("main", "dir/b", "1");
        put("main", "other", "1");
        engine.deleteObject(R, "main", "keep/a");
        engine.reset(R, "main", new ResetScope.Path("other"));
        assertThat(engine.diffBranch(R, "main", null, 10).items()).extracting(Change::path).containsExactly("dir/a", "dir/b", "keep/a");
        engine.reset(R, "main", new ResetScope.Prefix("dir/"));
        assertThat(engine.diffBranch(R, "main", null, 10).items()).extracting(Change::path).containsExactly("keep/a");
        put("main", "z", "1");
        engine.reset(R, "main", new ResetScope.All());
        assertThat(engine.diffBranch(R, "main", null, 10).items()).isEmpty();
        assertThat(engine.statObject(R, "main", "keep/a").size()).isEqualTo(1);
    }

    @Test
    void mergesAndReverts() {
        put("main", "shared", "base");
        put("main", "both", "base");
        commit("main", "base");
        engine.createBranch(R, "feature", "main");
        put("feature", "new-on-feature", "f");
        put("feature", "both", "feature");
        Commit f1 = commit("feature", "feature work");
        assertThatThrownBy(() -> engine.merge(R, "main", "feature", null)).isInstanceOf(NothingToMergeException.class);
        // fast-forward-like merge: dest is the base
        MergeResult ff = engine.merge(R, "feature", "main", new MergeRequest(null, "me", null, null));
        assertThat(ff.commit().parents()).hasSize(2).last().isEqualTo(f1.id());
        assertThat(ff.commit().treeId()).isEqualTo(f1.treeId());
        assertThat(ff.commit().message()).isEqualTo("Merge 'feature' into 'main'");
        assertThat(ff.summary().added()).isEqualTo(1);
        assertThat(ff.summary().changed()).isEqualTo(1);
        assertThatThrownBy(() -> engine.merge(R, "feature", "main", null)).isInstanceOf(NothingToMergeException.class);

        // conflicting changes
        put("main", "both", "main-side");
        commit("main", "main side");
        put("feature", "both", "feature-side");
        put("feature", "only-feature", "x");
        commit("feature", "feature side");
        assertThatThrownBy(() -> engine.merge(R, "feature", "main", null))
                .isInstanceOf(MergeConflictException.class)
                .satisfies(e -> assertThat(((MergeConflictException) e).paths()).containsExactly("both"));
        assertThatThrownBy(() -> engine.statObject(R, "main", "only-feature")).isInstanceOf(NotFoundException.class);
        put("main", "dirty", "x");
        assertThatThrownBy(() -> engine.merge(R, "feature", "main", new MergeRequest(null, null, null, MergeStrategy.SOURCE_WINS)))
                .isInstanceOf(DirtyBranchException.class);
        engine.reset(R, "main", new ResetScope.All());
        MergeResult dw = engine.merge(R, "feature", "main", new MergeRequest("keep mine", "me", Map.of("k", "v"), MergeStrategy.DEST_WINS));
        assertThat(dw.summary().conflict()).isEqualTo(1);
        assertThat(dw.summary().added()).isEqualTo(1);
        assertThat(dw.commit().message()).isEqualTo("keep mine");
        assertThat(dw.commit().metadata()).containsEntry("k", "v");
        assertThat(read(engine, "main", "both")).isEqualTo("main-side");
        assertThat(read(engine, "main", "only-feature")).isEqualTo("x");

        // revert the merge relative to its first parent removes what it brought
        Commit reverted = engine.revert(R, "main", "main", 1, new CommitRequest(null, "me", Map.of(), false));
        assertThat(reverted.message()).startsWith("Revert ");
        assertThatThrownBy(() -> engine.statObject(R, "main", "only-feature")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.revert(R, "main", "main", 3, null)).isInstanceOf(InvalidArgumentException.class);
        Commit root = engine.log(R, "main", true, null, 100).items().getLast();
        assertThatThrownBy(() -> engine.revert(R, "main", root.id(), 1, null)).isInstanceOf(InvalidArgumentException.class);

        // three-dot diff from the left's point of view
        put("feature", "later", "l");
        commit("feature", "later");
        assertThat(engine.diffRefs(R, "feature", "main", DiffType.THREE_DOT, null, 10).items())
                .extracting(Change::type, Change::path).containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeType.ADDED, "later"));
    }

    static String read(TarnEngine engine, String ref, String path) {
        try (InputStream in = engine.readObject(R, engine.statObject(R, ref, path), null)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
