package io.tarn.gc;

import io.tarn.block.BlockKeys;
import io.tarn.block.BlockList;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.GcAccess;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.GcRules;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.Repository;
import io.tarn.engine.tree.RangeRef;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a repository's garbage: data objects, range files and tree indexes in its namespace that
 * no kept commit, no staging token and no multipart upload in progress refers to, and that are older
 * than the grace period; plus multipart uploads abandoned for longer than it. docs/gc.md gives the
 * rules and the argument for why it is safe beside running servers.
 *
 * <ol>
 *   <li><b>Mark</b>: multipart uploads first, then every branch (head and tokens, read again until
 *       the record is unchanged), tags, and the commits the rules keep; every tree index once, every
 *       range once (content-addressed, so shared by successive commits), every address in them into
 *       a {@link SortedSpill} on disk.</li>
 *   <li><b>List</b> the swept prefixes in key order and merge them with the sorted marked keys: an
 *       engine-made key that is unmarked and older than the cutoff is a candidate (spilled to disk).</li>
 *   <li><b>Catch up</b>: mark again from what changed while it ran (uploads, branch heads and
 *       staging as they are now, every commit that did not exist when it started) into a second set.</li>
 *   <li><b>Delete</b> the candidates the catch-up did not mark (not in a dry run), and write the report.</li>
 * </ol>
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** Where reports go in the namespace. */
    public static final String REPORT_PREFIX = "_tarn/gc/";
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final GcAccess access;
    private final Path workDir;

    /**
     * @param workDir a local folder for the spilled sets (created if missing; emptied of this run's
     *                files when it ends)
     */
    public GarbageCollector(GcAccess access, Path workDir) {
        this.access = access;
        this.workDir = workDir;
    }

    public GcReport run(String repositoryId, GcOptions options) {
        Repository repo = access.repository(repositoryId);
        StorageNamespace ns = access.namespace(repo);
        Instant started = Instant.now();
        Instant cutoff = started.minus(options.grace());
        String runId = RUN_ID.format(started) + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        Path dir = workDir.resolve("gc-" + runId);
        try {
            Files.createDirectories(dir);
            return new Run(repo, ns, options, started, cutoff, runId, dir).execute();
        } catch (IOException e) {
            throw new UncheckedIOException("garbage collection of " + repositoryId + " failed: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private enum Kind { OBJECT, RANGE, TREE }

    private static Kind kind(String key) {
        if (GcAccess.DATA_KEY.matcher(key).matches()) {
            return Kind.OBJECT;
        }
        if (GcAccess.RANGE_KEY.matcher(key).matches()) {
            return Kind.RANGE;
        }
        if (GcAccess.TREE_KEY.matcher(key).matches()) {
            return Kind.TREE;
        }
        return null;
    }

    /** One run: its sets and counters. */
    private final class Run {
        final Repository repo;
        final String id;
        final StorageNamespace ns;
        final BlockStore blocks;
        final GcOptions options;
        final Instant started;
        final Instant cutoff;
        final String runId;
        final Path dir;
        final Set<String> treesSeen = new HashSet<>();
        final Set<String> rangesSeen = new HashSet<>();
        final Set<String> knownCommits = new HashSet<>();
        final List<Map.Entry<MultipartUpload, byte[]>> abandoned = new ArrayList<>();
        long treesRead;
        long rangesRead;
        long commitsKept;
        long commitsStored;

        Run(Repository repo, StorageNamespace ns, GcOptions options, Instant started, Instant cutoff, String runId,
            Path dir) {
            this.repo = repo;
            this.id = repo.id();
            this.ns = ns;
            this.blocks = access.blocks();
            this.options = options;
            this.started = started;
            this.cutoff = cutoff;
            this.runId = runId;
            this.dir = dir;
        }

        GcReport execute() throws IOException {
            Optional<GcRules> rules = access.rules(id);
            long t0 = System.nanoTime();
            SortedSpill marked = new SortedSpill(dir.resolve("marked"), options.spillChunk());
            long keysMarked;
            int spillRuns;
            Path candidates = dir.resolve("candidates");
            long[] sweepCounts;
            long markNanos;
            long sweepNanos;
            try (marked) {
                markRoots(marked, rules, true);
                long t1 = System.nanoTime();
                Iterator<String> sortedMarked = marked.sorted();
                spillRuns = marked.runs();
                sweepCounts = list(sortedMarked, candidates);
                keysMarked = sweepCounts[5];
                markNanos = t1 - t0;
                sweepNanos = System.nanoTime() - t1;
            }
            long t2 = System.nanoTime();
            SortedSpill again = new SortedSpill(dir.resolve("again"), options.spillChunk());
            long[] deleted;
            Path deletedList = dir.resolve("deleted.txt");
            try (again) {
                markRoots(again, rules, false);
                long t3 = System.nanoTime();
                markNanos += t3 - t2;
                deleted = delete(candidates, again.sorted(), deletedList);
                sweepNanos += System.nanoTime() - t3;
            }
            long aborted = 0;
            for (Map.Entry<MultipartUpload, byte[]> u : abandoned) {
                if (options.dryRun() || access.claimAbandonedUpload(id, u.getKey(), u.getValue())) {
                    aborted++;
                }
            }
            String prefix = REPORT_PREFIX + runId + "/";
            GcReport report = new GcReport(runId, id, repo.storageNamespace(), options.dryRun(), started, Instant.now(),
                    cutoff, rules,
                    new GcReport.Mark(commitsKept, commitsStored, treesRead, rangesRead, keysMarked, spillRuns,
                            markNanos / 1_000_000),
                    new GcReport.Sweep(sweepCounts[0], sweepCounts[1], sweepCounts[2], sweepCounts[3], deleted[6],
                            deleted[0], deleted[1], deleted[2], deleted[3], deleted[4], aborted, sweepNanos / 1_000_000),
                    prefix);
            try (InputStream in = Files.newInputStream(deletedList)) {
                blocks.put(ns, prefix + "deleted.txt", in, Files.size(deletedList));
            }
            byte[] json = report.toJson();
            blocks.put(ns, prefix + "summary.json", new ByteArrayInputStream(json), json.length);
            LOG.info("{}", report.summary());
            return report;
        }

        // ---- mark ----

        /**
         * Marks from the roots: multipart uploads (first: a completion stages before it drops its
         * record), branches (read again until stable), tags, and the commits to keep. The first pass
         * applies the rules; the catch-up pass ({@code first == false}) marks the heads and staging
         * as they are now and every commit that was not stored when the run started.
         */
        void markRoots(SortedSpill into, Optional<GcRules> rules, boolean first) {
            if (first) {
                // the commits that exist before anything is marked: the catch-up pass keeps every other one
                access.forEachCommit(id, c -> knownCommits.add(c.id()));
                commitsStored = knownCommits.size();
            }
            access.forEachMultipartUpload(id, (u, raw) -> {
                into.add(u.physicalAddress());
                if (first && u.created() < cutoff.toEpochMilli()) {
                    abandoned.add(Map.entry(u, raw));
                }
            });
            Map<String, String> heads = new HashMap<>();
            for (GcAccess.BranchState b : access.branches(id)) {
                GcAccess.BranchState cur = b;
                while (true) {
                    for (String token : cur.tokens()) {
                        access.forEachStagedAddress(token, into::add);
                    }
                    heads.put(cur.name(), cur.headCommitId());
                    Optional<GcAccess.BranchState> again = access.branch(id, cur.name());
                    if (again.isEmpty() || again.get().sameRecord(cur)) {
                        break;
                    }
                    cur = again.get();
                }
            }
            Set<String> keep = new HashSet<>();
            if (first) {
                keep.addAll(access.taggedCommits(id));
                keepByRules(heads, rules, keep);
                commitsKept = keep.size();
            } else {
                keep.addAll(heads.values());
                keep.addAll(access.taggedCommits(id));
                access.forEachCommit(id, c -> {
                    if (!knownCommits.contains(c.id())) {
                        keep.add(c.id());
                    }
                });
            }
            for (String commitId : keep) {
                access.commit(id, commitId).ifPresent(c -> markTree(into, c.treeId()));
            }
        }

        /**
         * Branch heads always; with rules, their ancestors created within the branch's retention;
         * without rules, every commit reachable from a head or a tag.
         */
        void keepByRules(Map<String, String> heads, Optional<GcRules> rules, Set<String> keep) {
            long now = started.getEpochSecond();
            Set<String> everywhere = new HashSet<>();
            List<Map.Entry<String, String>> starts = new ArrayList<>(heads.entrySet());
            if (rules.isEmpty()) {
                for (String tagged : new ArrayList<>(keep)) {
                    starts.add(Map.entry("", tagged));
                }
            }
            for (Map.Entry<String, String> h : starts) {
                long threshold = rules.isEmpty() ? Long.MIN_VALUE
                        : now - rules.get().retentionDays(h.getKey()) * 86_400L;
                Set<String> walked = rules.isEmpty() ? everywhere : new HashSet<>();
                keep.add(h.getValue());
                if (!walked.add(h.getValue())) {
                    continue;
                }
                ArrayDeque<String> todo = new ArrayDeque<>();
                todo.add(h.getValue());
                while (!todo.isEmpty()) {
                    Optional<Commit> c = access.commit(id, todo.poll());
                    if (c.isEmpty()) {
                        continue;
                    }
                    for (String p : c.get().parents()) {
                        if (!walked.add(p)) {
                            continue;
                        }
                        Optional<Commit> parent = access.commit(id, p);
                        // parents are older than their children: an expired commit's ancestors are too
                        if (parent.isPresent() && parent.get().creationDate() >= threshold) {
                            keep.add(p);
                            todo.add(p);
                        }
                    }
                }
            }
        }

        void markTree(SortedSpill into, String treeId) {
            if (!treesSeen.add(treeId)) {
                return;
            }
            Optional<String> treeKey = GcAccess.treeKey(treeId);
            if (treeKey.isEmpty()) {
                return;
            }
            into.add(treeKey.get());
            treesRead++;
            for (RangeRef r : access.ranges(ns, treeId)) {
                if (rangesSeen.add(r.id())) {
                    into.add(GcAccess.rangeKey(r.id()));
                    rangesRead++;
                    access.forEachAddress(ns, r, into::add);
                }
            }
        }

        // ---- list ----

        /**
         * Merges the listing of the swept prefixes with the sorted marked keys; writes the candidates
         * (key, size) to {@code out}. Returns {listed, keptMarked, keptRecent, keptForeign, candidates,
         * distinct marked keys}.
         */
        long[] list(Iterator<String> marked, Path out) throws IOException {
            long listed = 0;
            long keptMarked = 0;
            long keptRecent = 0;
            long keptForeign = 0;
            long candidates = 0;
            long markedCount = 0;
            String m = null;
            try (DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
                String previous = null;
                for (String prefix : GcAccess.SWEPT_PREFIXES) {
                    try (BlockList it = blocks.list(ns, prefix)) {
                        while (it.hasNext()) {
                            BlockListing l = it.next();
                            String key = l.key();
                            if (previous != null && BlockKeys.compareUtf8(previous, key) >= 0) {
                                throw new IllegalStateException("the block store listed " + key + " after " + previous
                                        + ": out of order, so nothing is deleted");
                            }
                            previous = key;
                            listed++;
                            while (m != null || marked.hasNext()) {
                                if (m == null) {
                                    m = marked.next();
                                    markedCount++;
                                }
                                if (BlockKeys.compareUtf8(m, key) >= 0) {
                                    break;
                                }
                                m = null;
                            }
                            if (m != null && m.equals(key)) {
                                keptMarked++;
                                continue;
                            }
                            Kind kind = kind(key);
                            if (kind == null) {
                                keptForeign++;
                            } else if (!l.lastModified().isBefore(cutoff)) {
                                keptRecent++;
                            } else {
                                w.writeUTF(key);
                                w.writeLong(l.size());
                                candidates++;
                            }
                        }
                    }
                }
            }
            while (marked.hasNext()) {
                marked.next();
                markedCount++;
            }
            return new long[] {listed, keptMarked, keptRecent, keptForeign, candidates, markedCount};
        }

        // ---- delete ----

        /**
         * Deletes the candidates the catch-up pass did not mark (in a dry run: lists them only). Range
         * and tree files are checked once more just before (a commit may have written one again).
         * Returns {objects, objectBytes, ranges, trees, metadataBytes, -, rescued}.
         */
        long[] delete(Path candidates, Iterator<String> markedAgain, Path deletedList) throws IOException {
            AtomicLong objects = new AtomicLong();
            AtomicLong objectBytes = new AtomicLong();
            AtomicLong ranges = new AtomicLong();
            AtomicLong trees = new AtomicLong();
            AtomicLong metadataBytes = new AtomicLong();
            long rescued = 0;
            ExecutorService pool = Executors.newFixedThreadPool(options.deleteThreads(), r -> {
                Thread t = new Thread(r, "tarn-gc-delete");
                t.setDaemon(true);
                return t;
            });
            ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(candidates), 1 << 16));
                 BufferedWriter report = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(deletedList),
                         StandardCharsets.UTF_8))) {
                String m = null;
                while (true) {
                    String key;
                    long size;
                    try {
                        key = in.readUTF();
                        size = in.readLong();
                    } catch (EOFException end) {
                        break;
                    }
                    while (m != null || markedAgain.hasNext()) {
                        if (m == null) {
                            m = markedAgain.next();
                        }
                        if (BlockKeys.compareUtf8(m, key) >= 0) {
                            break;
                        }
                        m = null;
                    }
                    if (m != null && m.equals(key)) {
                        rescued++;
                        continue;
                    }
                    Kind kind = kind(key);
                    if (kind != Kind.OBJECT) {
                        // a commit reuses an existing range or tree file only if it is recent, else writes it again
                        var now = blocks.stat(ns, key);
                        if (now.isEmpty() || !now.get().lastModified().isBefore(cutoff)) {
                            rescued++;
                            continue;
                        }
                    }
                    report.write(key);
                    report.write('\n');
                    switch (kind) {
                        case OBJECT -> {
                            objects.incrementAndGet();
                            objectBytes.addAndGet(size);
                        }
                        case RANGE -> {
                            ranges.incrementAndGet();
                            metadataBytes.addAndGet(size);
                        }
                        case TREE -> {
                            trees.incrementAndGet();
                            metadataBytes.addAndGet(size);
                        }
                    }
                    if (!options.dryRun()) {
                        inFlight.add(pool.submit(() -> blocks.delete(ns, key)));
                        while (inFlight.size() > 256) {
                            await(inFlight.poll());
                        }
                    }
                }
                while (!inFlight.isEmpty()) {
                    await(inFlight.poll());
                }
            } finally {
                pool.shutdownNow();
            }
            return new long[] {objects.get(), objectBytes.get(), ranges.get(), trees.get(), metadataBytes.get(), 0,
                    rescued};
        }

        private void await(Future<?> f) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deleting", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
