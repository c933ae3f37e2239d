package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.StorageNamespace;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.ImportSource;
import io.tarn.engine.model.ImportStatus;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zero-copy imports from the block store into a branch, on every KV backend. */
class ImportsTest extends EngineBackendTest {

    static final String R = "imports";

    @TempDir
    Path tmp;

    MemoryBlockStore blocks;
    TarnEngine engine;
    StorageNamespace external;

    @BeforeEach
    void setUp() {
        blocks = new MemoryBlockStore();
        engine = new TarnEngine(newKv(), blocks, EngineConfig.defaults(tmp.resolve("cache")));
        engine.createRepository(R, "mem://imports-repo", "main");
        external = blocks.namespace("mem://external");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    void write(String key, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        blocks.put(external, key, new ByteArrayInputStream(b), b.length);
    }

    ImportStatus await(String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            ImportStatus s = engine.importStatus(R, "main", id);
            if (s.completed() || s.error() != null) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("import did not end");
    }

    @Test
    void importsAPrefixAndAnObjectAsOneCommitKeepingStagedChanges() throws Exception {
        for (int i = 0; i < 250; i++) {
            write("events/day=" + (i % 5) + "/" + i + ".json", "{\"n\":" + i + "}");
        }
        write("other/not-imported", "x");
        write("lookup.csv", "a,b");
        byte[] staged = "staged".getBytes(StandardCharsets.UTF_8);
        engine.putObject(R, "main", "mine", new ByteArrayInputStream(staged), staged.length, null, Map.of());
        String head = engine.getBranch(R, "main").commitId();

        ImportStatus started = engine.startImport(R, "main", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "mem://external/events/", "raw/"),
                new ImportSource(ImportSource.Kind.OBJECT, "mem://external/lookup.csv", "ref/lookup.csv")),
                new CommitRequest("import", "me", Map.of("k", "v"), false));
        ImportStatus done = await(started.id());
        assertThat(done.error()).isNull();
        assertThat(done.completed()).isTrue();
        assertThat(done.ingested()).isEqualTo(251);
        assertThat(done.commit().parents()).containsExactly(head);
        assertThat(engine.getBranch(R, "main").commitId()).isEqualTo(done.commit().id());

        List<ListItem> raw = engine.listObjects(R, "main@", "raw/", "", null, 1000).items();
        assertThat(raw).hasSize(250);
        ObjectEntry one = engine.statObject(R, "main", "raw/day=2/7.json");
        assertThat(one.physicalAddress()).isEqualTo("mem://external/events/day=2/7.json");
        try (var in = engine.readObject(R, one, null)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":7}");
        }
        assertThat(engine.statObject(R, "main", "ref/lookup.csv").size()).isEqualTo(3);
        assertThatThrownBy(() -> engine.statObject(R, "main", "raw/not-imported")).isInstanceOf(NotFoundException.class);
        assertThat(engine.diffBranch(R, "main", null, 10).items()).extracting(c -> c.path()).containsExactly("mine");
        assertThat(engine.cancelImport(R, "main", started.id())).isFalse();
    }

    @Test
    void aPrefixImportReplacesItsDestinationPrefixAndNothingElse() throws Exception {
        byte[] b = "old".getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("raw/a.json", "raw/gone.json", "raw/deep/gone.json", "rawish/kept", "ref/x.csv",
                "ref/kept.csv", "top")) {
            engine.putObject(R, "main", path, new ByteArrayInputStream(b), b.length, null, Map.of());
        }
        engine.commit(R, "main", new CommitRequest("before", "me", Map.of(), false));
        engine.putObject(R, "main", "raw/staged-after", new ByteArrayInputStream(b), b.length, null, Map.of());
        write("src/a.json", "new a");
        write("src/b/c.json", "new c");
        write("one.csv", "one");
        ImportStatus done = await(engine.startImport(R, "main", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "mem://external/src/", "raw/"),
                new ImportSource(ImportSource.Kind.OBJECT, "mem://external/one.csv", "ref/x.csv")),
                new CommitRequest("import", "me", Map.of(), false)).id());
        assertThat(done.error()).isNull();
        String commit = done.commit().id();
        // under raw/: exactly the source (committed objects not in it are gone); an object import replaces
        // only its own path; everything else (rawish/ shares the letters, not the prefix) is kept
        assertThat(engine.listObjects(R, commit, "", "", null, 1000).items()).extracting(ListItem::path)
                .containsExactly("raw/a.json", "raw/b/c.json", "rawish/kept", "ref/kept.csv", "ref/x.csv", "top");
        assertThat(engine.statObject(R, commit, "raw/a.json").physicalAddress()).isEqualTo("mem://external/src/a.json");
        assertThat(engine.statObject(R, commit, "ref/x.csv").size()).isEqualTo(3);
        // the branch's uncommitted change stays staged
        assertThat(engine.diffBranch(R, "main", null, 10).items()).extracting(c -> c.path())
                .containsExactly("raw/staged-after");
        // an import with nothing under its source empties its destination
        ImportStatus emptied = await(engine.startImport(R, "main", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "mem://external/nothing-here/", "ref/")),
                new CommitRequest("empty", "me", Map.of(), false)).id());
        assertThat(emptied.error()).isNull();
        assertThat(engine.listObjects(R, emptied.commit().id(), "", "", null, 1000).items()).extracting(ListItem::path)
                .containsExactly("raw/a.json", "raw/b/c.json", "rawish/kept", "top");
    }

    @Test
    void sourcesAreCheckedBeforeStarting() {
        CommitRequest commit = new CommitRequest("import", "me", Map.of(), false);
        assertThatThrownBy(() -> engine.startImport(R, "main", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "mem://imports-repo/data/", "x/")), commit))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("storage namespace of repository");
        assertThatThrownBy(() -> engine.startImport(R, "main", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "local://elsewhere/", "x/")), commit))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("block store");
        assertThatThrownBy(() -> engine.startImport(R, "main", List.of(), commit))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> engine.startImport(R, "nope", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "mem://external/", "x/")), commit))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.importStatus(R, "main", "abcdef")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aCanceledImportCommitsNothing() throws Exception {
        for (int i = 0; i < 3 * Imports.PROGRESS_EVERY; i++) {
            write("many/" + i, "");
        }
        String head = engine.getBranch(R, "main").commitId();
        ImportStatus started = engine.startImport(R, "main", List.of(
                new ImportSource(ImportSource.Kind.PREFIX, "mem://external/many/", "many/")),
                new CommitRequest("import", "me", Map.of(), false));
        boolean asked = engine.cancelImport(R, "main", started.id());
        ImportStatus done = await(started.id());
        if (asked) {
            assertThat(done.error()).isEqualTo(Imports.CANCELED);
            assertThat(engine.getBranch(R, "main").commitId()).isEqualTo(head);
        } else {
            assertThat(done.completed()).isTrue(); // it had already ended: nothing to cancel
        }
    }
}
