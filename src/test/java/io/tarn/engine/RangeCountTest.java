package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.tree.RangeStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit, diff and merge cost grows with the changes, not with the repository: on a 1,000,000-entry
 * tree, 10 changes write and open only a handful of ranges (counted, not timed).
 */
class RangeCountTest {

    static final int N = 1_000_000;
    static final String REPO = "ranges";

    @TempDir
    Path tmp;

    static String path(int i) {
        return String.format("table/part=%03d/file-%07d.parquet", i % 1000, i);
    }

    static ObjectEntry entry(String path, int version) {
        return new ObjectEntry(path, "data/p/" + path.hashCode() + "-" + version, 1000 + version,
                String.format("%032x", (long) path.hashCode() * 31 + version), 1_700_000_000_000L, null, Map.of());
    }

    @Test
    void tenChangesOnAMillionEntriesTouchAHandfulOfRanges() {
        try (TarnEngine engine = new TarnEngine(new MemoryKvStore(), new MemoryBlockStore(),
                EngineConfig.defaults(tmp.resolve("cache")))) {
            engine.createRepository(REPO, "mem://ranges", "main");
            for (int i = 0; i < N; i++) {
                engine.stageObject(REPO, "main", entry(path(i), 0));
            }
            RangeStore ranges = engine.trees().ranges();
            long w0 = ranges.rangesWritten();
            Commit base = engine.commit(REPO, "main", new CommitRequest("one million", "t", Map.of(), false));
            long baseRanges = ranges.rangesWritten() - w0;
            assertThat(baseRanges).as("ranges of the base tree").isGreaterThan(200);
            engine.createBranch(REPO, "feature", "main");

            // a delimited listing jumps over whole common prefixes: cost follows the page, not the objects
            long listRead = ranges.rangesRead();
            Page<io.tarn.engine.model.ListItem> parts = engine.listObjects(REPO, "main", "table/", "/", null, 10);
            assertThat(parts.items()).extracting(io.tarn.engine.model.ListItem::path)
                    .containsExactly("table/part=000/", "table/part=001/", "table/part=002/", "table/part=003/",
                            "table/part=004/", "table/part=005/", "table/part=006/", "table/part=007/",
                            "table/part=008/", "table/part=009/");
            Page<io.tarn.engine.model.ListItem> next10 = engine.listObjects(REPO, "main", "table/", "/", "table/part=500/", 10);
            assertThat(next10.items().get(0).path()).isEqualTo("table/part=501/");
            assertThat(ranges.rangesRead() - listRead).as("ranges opened by two 10-item delimited listings").isLessThanOrEqualTo(30L);

            // 10 changes on main: 6 changed, 2 added, 2 removed
            for (int k = 0; k < 6; k++) {
                engine.stageObject(REPO, "main", entry(path(k * 150_001 + 7), 1));
            }
            engine.stageObject(REPO, "main", entry("table/part=500/new-a", 1));
            engine.stageObject(REPO, "main", entry("table/part=900/new-b", 1));
            engine.deleteObject(REPO, "main", path(333_333));
            engine.deleteObject(REPO, "main", path(999_998));
            long written = ranges.rangesWritten();
            long read = ranges.rangesRead();
            Commit next = engine.commit(REPO, "main", new CommitRequest("ten changes", "t", Map.of(), false));
            long commitWrites = ranges.rangesWritten() - written;
            long commitReads = ranges.rangesRead() - read;
            assertThat(commitWrites).as("ranges written by a 10-change commit (base has %d)", baseRanges).isBetween(1L, 30L);
            assertThat(commitReads).as("ranges read by a 10-change commit").isLessThanOrEqualTo(30L);

            read = ranges.rangesRead();
            Page<Change> diff = engine.diffRefs(REPO, next.id(), base.id(), DiffType.TWO_DOT, null, 100);
            long diffReads = ranges.rangesRead() - read;
            assertThat(diff.items()).hasSize(10);
            assertThat(diff.items().stream().filter(c -> c.type() == ChangeType.CHANGED)).hasSize(6);
            assertThat(diff.items().stream().filter(c -> c.type() == ChangeType.ADDED)).hasSize(2);
            assertThat(diff.items().stream().filter(c -> c.type() == ChangeType.REMOVED)).hasSize(2);
            assertThat(diffReads).as("ranges opened by diffing two 1M-entry commits differing in 10").isLessThanOrEqualTo(40L);

            // 10 other changes on feature, then merge main into feature (a true three-way merge)
            for (int k = 0; k < 10; k++) {
                engine.stageObject(REPO, "feature", entry(path(k * 99_991 + 3), 2));
            }
            engine.commit(REPO, "feature", new CommitRequest("feature work", "t", Map.of(), false));
            read = ranges.rangesRead();
            written = ranges.rangesWritten();
            MergeResult merged = engine.merge(REPO, "main", "feature", new MergeRequest(null, "t", null, null));
            long mergeReads = ranges.rangesRead() - read;
            long mergeWrites = ranges.rangesWritten() - written;
            assertThat(merged.summary().added() + merged.summary().removed() + merged.summary().changed()).isEqualTo(10);
            assertThat(mergeReads).as("ranges opened by the merge").isLessThanOrEqualTo(100L);
            assertThat(mergeWrites).as("ranges written by the merge").isLessThanOrEqualTo(40L);
            assertThat(engine.statObject(REPO, "feature", path(7)).size()).isEqualTo(1001);
            assertThat(engine.statObject(REPO, "feature", path(3)).size()).isEqualTo(1002);
        }
    }
}
