package io.tarn.gc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.engine.model.GcRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What one collection did (or, in a dry run, would have done). Written as {@code summary.json} next to
 * {@code deleted.txt} (one address per line) under {@code _tarn/gc/<run id>/} in the namespace.
 */
public record GcReport(String runId, String repository, String storageNamespace, boolean dryRun,
                       Instant startedAt, Instant finishedAt, Instant cutoff, Optional<GcRules> rules,
                       Mark mark, Sweep sweep, String reportPrefix) {

    /**
     * @param commitsKept     commits kept by the rules (heads, tags, within retention)
     * @param commitsStored   commits stored in the repository
     * @param treesRead       tree indexes read
     * @param rangesRead      ranges read (each once: they are content-addressed)
     * @param keysMarked      distinct marked keys (objects, ranges, trees)
     * @param spillRuns       sorted runs the marked set wrote to disk
     * @param millis          time to mark, catch-up pass included
     */
    public record Mark(long commitsKept, long commitsStored, long treesRead, long rangesRead, long keysMarked,
                       int spillRuns, long millis) {}

    /**
     * @param listed         keys listed under the swept prefixes
     * @param keptMarked     listed and marked
     * @param keptRecent     unmarked but written after the cutoff
     * @param keptForeign    unmarked but not a key the engine makes (never deleted)
     * @param rescued        unmarked at first, marked by the catch-up pass (written to meanwhile)
     * @param objects        data objects deleted
     * @param objectBytes    their bytes
     * @param ranges         range files deleted
     * @param trees          tree indexes deleted
     * @param metadataBytes  bytes of the range and tree files deleted
     * @param abortedUploads abandoned multipart uploads aborted
     * @param millis         time to list and delete
     */
    public record Sweep(long listed, long keptMarked, long keptRecent, long keptForeign, long rescued, long objects,
                        long objectBytes, long ranges, long trees, long metadataBytes, long abortedUploads,
                        long millis) {
        public long deleted() {
            return objects + ranges + trees;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", runId);
        root.put("repository", repository);
        root.put("storage_namespace", storageNamespace);
        root.put("dry_run", dryRun);
        root.put("started_at", startedAt.toString());
        root.put("finished_at", finishedAt.toString());
        root.put("cutoff", cutoff.toString());
        if (rules.isPresent()) {
            ObjectNode r = root.putObject("rules");
            r.put("default_retention_days", rules.get().defaultRetentionDays());
            var branches = r.putArray("branches");
            rules.get().branches().forEach(b -> branches.addObject().put("branch_id", b.branchId())
                    .put("retention_days", b.retentionDays()));
        } else {
            root.putNull("rules");
        }
        ObjectNode m = root.putObject("mark");
        m.put("commits_kept", mark.commitsKept());
        m.put("commits_stored", mark.commitsStored());
        m.put("trees_read", mark.treesRead());
        m.put("ranges_read", mark.rangesRead());
        m.put("keys_marked", mark.keysMarked());
        m.put("spill_runs", mark.spillRuns());
        m.put("millis", mark.millis());
        ObjectNode s = root.putObject("sweep");
        s.put("listed", sweep.listed());
        s.put("kept_marked", sweep.keptMarked());
        s.put("kept_recent", sweep.keptRecent());
        s.put("kept_foreign", sweep.keptForeign());
        s.put("rescued", sweep.rescued());
        s.put("millis", sweep.millis());
        ObjectNode d = root.putObject(dryRun ? "would_delete" : "deleted");
        d.put("objects", sweep.objects());
        d.put("object_bytes", sweep.objectBytes());
        d.put("ranges", sweep.ranges());
        d.put("trees", sweep.trees());
        d.put("metadata_bytes", sweep.metadataBytes());
        d.put("aborted_uploads", sweep.abortedUploads());
        root.put("deleted_list", reportPrefix + "deleted.txt");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A few lines for people. */
    public String summary() {
        String verb = dryRun ? "would delete" : "deleted";
        return String.format(java.util.Locale.ROOT,
                "gc %s of repository %s%s: cutoff %s%n"
                        + "  mark: %d of %d commits kept, %d trees and %d ranges read, %d keys marked, %.1f s%n"
                        + "  sweep: %d listed, %d kept (marked), %d kept (newer than the cutoff), %d kept (not the engine's)%n"
                        + "  %s %d objects (%d bytes), %d ranges, %d trees (%d bytes), %d abandoned uploads; %.1f s%n"
                        + "  report: %ssummary.json",
                runId, repository, dryRun ? " (dry run)" : "", cutoff,
                mark.commitsKept(), mark.commitsStored(), mark.treesRead(), mark.rangesRead(), mark.keysMarked(),
                mark.millis() / 1000.0, sweep.listed(), sweep.keptMarked(), sweep.keptRecent(), sweep.keptForeign(),
                verb, sweep.objects(), sweep.objectBytes(), sweep.ranges(), sweep.trees(), sweep.metadataBytes(),
                sweep.abortedUploads(), sweep.millis() / 1000.0, reportPrefix);
    }
}
