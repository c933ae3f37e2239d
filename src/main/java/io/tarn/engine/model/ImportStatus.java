package io.tarn.engine.model;

/**
 * Where an import stands.
 *
 * @param updateTime epoch milliseconds of the last progress
 * @param ingested   objects staged so far
 * @param error      why it failed or that it was canceled, else {@code null}
 * @param commit     the import's commit once completed, else {@code null}
 */
public record ImportStatus(String id, String branch, boolean completed, long updateTime, long ingested,
                           String error, Commit commit) {}
